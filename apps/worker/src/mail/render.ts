import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Email from 'email-templates';
import { compile } from 'html-to-text';
import pug from 'pug';
import type { AccountEmailContent } from '@appointments/domain';

/** Resolved from this file, not the working directory, so the worker renders from anywhere. */
export const EMAILS_DIR = fileURLToPath(new URL('../../emails/', import.meta.url));

/** What a view needs of an email: its kind (the view's folder) and its subject; the whole object is the template's locals. */
export interface RenderableEmail {
  readonly kind: string;
  readonly subject: string;
}

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export interface EmailRenderer {
  /** Subject, inlined HTML and plain text of one email; the subject is `email.subject` as is. */
  render(email: RenderableEmail): Promise<RenderedEmail>;
  /** An account email (password reset, verification), from its kind's view. */
  renderAccount(email: AccountEmailContent): Promise<RenderedEmail>;
}

/** The views of account emails, by kind. */
const ACCOUNT_VIEWS: Readonly<Record<AccountEmailContent['kind'], string>> = { password_reset: 'password-reset', verify_email: 'verify-email' };

// The text part is the HTML converted: one source for both. No wrapping, so times stay on one line;
// preserveNewlines keeps the line breaks of multi-line notes and reasons. The selectors are what
// email-templates used (its default `img` skip, then ours), and a link whose text is its address
// reads once, not twice.
const toText = compile({
  wordwrap: false,
  preserveNewlines: true,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'h1', options: { uppercase: false, leadingLineBreaks: 2 } },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
  ],
});

/**
 * Renders the templates of EMAILS_DIR, each file (a view, `layout.pug`, `_parts.pug`, `style.css`)
 * replaced by the file of the same path under `overrideDir` when there is one (EMAIL_TEMPLATES_DIR):
 * an overridden layout frames the shipped views, an overridden view extends the shipped layout.
 */
export function createRenderer(overrideDir: string | null = null): EmailRenderer {
  const roots = overrideDir ? [resolve(overrideDir), EMAILS_DIR] : [EMAILS_DIR];
  const pick = (path: string) => roots.map((root) => join(root, path)).find((file) => existsSync(file)) ?? join(EMAILS_DIR, path);
  /** A file pug resolved inside either tree, as the tree that has it. */
  const locate = (file: string) => {
    for (const root of roots) {
      const path = relative(root, file);
      if (!path.startsWith('..') && !isAbsolute(path)) return pick(path);
    }
    return file;
  };
  const options = {
    pretty: false,
    // `extends ../layout.pug` and `include _parts.pug` follow the same lookup as the views.
    plugins: [{ resolve: (path: string, source: string) => locate(join(path.startsWith('/') ? EMAILS_DIR : dirname(source.trim()), path.trim())) }],
  };
  const stylesheets = dirname(pick('style.css'));

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
      const file = pick(`${view}.pug`);
      template = existsSync(file) ? pug.compileFile(file, options) : null;
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
      // layout.pug links style.css; juice reads it (strict: a missing file throws instead of silently
      // sending unstyled mail) from the tree that has it and moves every rule into style attributes.
      applyStyleTags: true,
      removeStyleTags: true,
      preserveMediaQueries: true,
      webResources: { relativeTo: stylesheets, images: false, scripts: false, links: true, strict: true },
    },
    // Converted with a converter compiled once: email-templates' own conversion compiled its
    // options (selectors) anew for every email, most of the conversion's cost.
    htmlToText: false,
  });

  /** Subject, inlined HTML and plain text of the view `view` given `email`; the subject as given. */
  async function renderAs(view: string, email: RenderableEmail): Promise<RenderedEmail> {
    const { html } = await templates.renderAll(view, email, { subject: email.subject });
    if (!html) throw new Error(`Email template "${view}" rendered no HTML.`);
    return { subject: email.subject, html, text: toText(html) };
  }

  return {
    render: (email) => renderAs(email.kind, email),
    renderAccount: (email) => renderAs(ACCOUNT_VIEWS[email.kind], email),
  };
}
