import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { writtenText } from './written.ts';

const line = writtenText(z.string(), 'Name', 'one');
const lines = writtenText(z.string(), 'Notes', 'many');

describe('written text', () => {
  const bidi = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
  const controls = ['\u0000', '\u0008', '\u000b', '\u001b', '\u007f', '\u0085', '\u009f'];
  it.each([...bidi, ...controls])('refuses %j on one line and on many, naming the rule', (char) => {
    for (const schema of [line, lines]) {
      const result = schema.safeParse(`Pay 100${char} EUR`);
      expect(result.error?.issues[0]?.message).toMatch(/must not contain control characters or bidirectional overrides/);
    }
  });

  it.each(['\n', '\r\n', '\t', '\u2028', '\u2029'])('keeps the line break or tab %j in text on many lines, not on one', (char) => {
    expect(lines.parse(`first${char}second`)).toBe(`first${char}second`);
    expect(line.safeParse(`first${char}second`).success).toBe(false);
  });

  it('accepts every script, emoji and the directional marks right-to-left text needs', () => {
    for (const text of ['Zoë Ñúñez 山田', 'שלום\u200f 10:00', 'مرحبا\u061c', '👩🏽‍⚕️ check-up']) {
      expect(line.parse(text)).toBe(text);
      expect(lines.parse(text)).toBe(text);
    }
  });
});
