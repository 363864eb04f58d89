import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Email from 'email-templates';
import { compile } from 'html-to-text';
import pug from 'pug';
import type { AccountEmailContent, EmailContent } from '@appointments/domain';

/** Resolved from this file, not the working directory, so the worker renders from anywhere. */
export const EMAILS_DIR = fileURLToPath(new URL('../../emails/', import.meta.url));

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** Compiled once per view, null for a view with no file (e.g. `reminder/text`: the text part is converted from the HTML). */
const compiled = new Map<string, pug.compileTemplate | null>();

/**
 * email-templates' own render looks each view up on disk (several stats per email) before pug's
 * cache answers; this one does what it does (pug with the locals as options, then juice with the
 * configured resources) with the lookups made once.
 */
async function renderView(view: string, locals: object): Promise<string | undefined> {
  let template = compiled.get(view);
  if (template === undefined) {
    const file = join(EMAILS_DIR, `${view}.pug`);
    template = existsSync(file) ? pug.compileFile(file, { pretty: false }) : null;
    compiled.set(view, template);
  }
  return template ? templates.juiceResources(template(locals)) : undefined;
}

const templates = new Email({
  render: renderView,
  send: false,
  preview: false,
  transport: { jsonTransport: true },
  views: { root: EMAILS_DIR, options: { extension: 'pug' } },
  juice: true,
  juiceResources: {
    // layout.pug links style.css; juice reads it from EMAILS_DIR (strict: a missing file throws
    // instead of silently sending unstyled mail) and moves every rule into style attributes.
    applyStyleTags: true,
    removeStyleTags: true,
    preserveMediaQueries: true,
    webResources: { relativeTo: EMAILS_DIR, images: false, scripts: false, links: true, strict: true },
  },
  // Converted below with a converter compiled once: email-templates' own conversion compiled its
  // options (selectors) anew for every email, most of the conversion's cost.
  htmlToText: false,
});

// The text part is the HTML converted: one source for both. No wrapping, so times stay on one line;
// preserveNewlines keeps the line breaks of multi-line notes and reasons. The selectors are what
// email-templates used (its default `img` skip, then ours), so the text is as it was.
const toText = compile({
  wordwrap: false,
  preserveNewlines: true,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'h1', options: { uppercase: false, leadingLineBreaks: 2 } },
  ],
});

/** Subject, inlined HTML and plain text of the view `view` given `locals`; the subject as given. */
async function render(view: string, locals: object, subject: string): Promise<RenderedEmail> {
  const { html } = await templates.renderAll(view, locals, { subject });
  if (!html) throw new Error(`Email template "${view}" rendered no HTML.`);
  return { subject, html, text: toText(html) };
}

/** An appointment email: the view named as its kind. */
export function renderEmail(content: EmailContent): Promise<RenderedEmail> {
  return render(content.kind, content, content.subject);
}

/** The views of account emails, by kind. */
const ACCOUNT_VIEWS: Readonly<Record<AccountEmailContent['kind'], string>> = { password_reset: 'password-reset', verify_email: 'verify-email' };

/** An account email (password reset, verification). */
export function renderAccountEmail(content: AccountEmailContent): Promise<RenderedEmail> {
  return render(ACCOUNT_VIEWS[content.kind], content, content.subject);
}
