import { fileURLToPath } from 'node:url';
import Email from 'email-templates';
import type { EmailContent } from '@appointments/domain';

/** Resolved from this file, not the working directory, so the worker renders from anywhere. */
export const EMAILS_DIR = fileURLToPath(new URL('../../emails/', import.meta.url));

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

const templates = new Email({
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
  // The text part is the HTML converted: one source for both. No wrapping, so times stay on one line;
  // preserveNewlines keeps the line breaks of multi-line notes and reasons.
  htmlToText: {
    wordwrap: false,
    preserveNewlines: true,
    // Listed first because email-templates merges this array into its default index by index.
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'h1', options: { uppercase: false, leadingLineBreaks: 2 } },
    ],
  },
});

/** Subject, inlined HTML and plain text of one email; the subject is `content.subject` as is. */
export async function renderEmail(content: EmailContent): Promise<RenderedEmail> {
  // renderAll skips the configured view locals, so pug's options go in here: compile each template once.
  const locals = { ...content, cache: true, pretty: false };
  const rendered = await templates.renderAll(content.kind, locals, { subject: content.subject });
  const { html, text } = rendered;
  if (!html || !text) throw new Error(`Email template "${content.kind}" rendered no ${html ? 'text' : 'HTML'}.`);
  return { subject: content.subject, html, text };
}
