import type { z } from 'zod';

// Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) make text display
// in another order than it is stored, so a name or note in an email or calendar could read as
// something else. Refused like C0/C1 controls (PostgreSQL cannot even store NUL), not stripped:
// the writer learns what was wrong, and what is stored is what was sent.
const BIDI = '\\u202a-\\u202e\\u2066-\\u2069';
/** Text on several lines (notes, reasons) keeps its line breaks and tabs: LF, CR, TAB, U+2028, U+2029. */
const REFUSED_IN_LINES = new RegExp(`[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f${BIDI}]`, 'u');
/** One line (names, labels): no line breaks or tabs either. */
const REFUSED_IN_LINE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029${BIDI}]`, 'u');

/**
 * The one rule for text people write and others read (names, labels, notes, reasons): no control
 * characters and no bidirectional overrides; `lines` says whether line breaks are allowed.
 */
export function writtenText<T extends z.ZodString>(schema: T, label: string, lines: 'one' | 'many'): T {
  const refused = lines === 'one' ? REFUSED_IN_LINE : REFUSED_IN_LINES;
  return schema.refine((text) => !refused.test(text), `${label} must not contain control characters or bidirectional overrides`);
}
