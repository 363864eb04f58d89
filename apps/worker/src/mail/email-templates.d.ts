/**
 * email-templates 13 ships no types; this covers only what render.ts uses (rendering, no sending).
 * The package is CommonJS (`module.exports = Email`).
 */
declare module 'email-templates' {
  namespace Email {
    interface RenderedMessage {
      subject?: string;
      html?: string;
      text?: string;
    }

    interface Config {
      /** Replaces the lookup and rendering of one view (`<template>/<subject|html|text>`); undefined: the view does not exist. */
      render?: (view: string, locals: object) => Promise<string | undefined>;
      send?: boolean;
      preview?: boolean;
      /** Rendering only: a transport object is still built by the constructor, so pass a harmless one. */
      transport?: { jsonTransport: true };
      views?: { root: string; options?: { extension?: string } };
      juice?: boolean;
      juiceResources?: {
        applyStyleTags?: boolean;
        removeStyleTags?: boolean;
        preserveMediaQueries?: boolean;
        preserveImportant?: boolean;
        webResources?: { relativeTo: string; images?: boolean; scripts?: boolean; links?: boolean; strict?: boolean };
      };
      /** render.ts converts the text part itself. */
      htmlToText?: false;
    }
  }

  class Email {
    constructor(config?: Email.Config);
    /** Renders `<root>/<template>/{subject,html,text}.pug`; a field given in `message` is kept as is. */
    renderAll(template: string, locals?: object, message?: Email.RenderedMessage): Promise<Email.RenderedMessage>;
    /** Inlines the configured resources and CSS into `html`, as its own render does after the template engine. */
    juiceResources(html: string): Promise<string>;
  }

  export = Email;
}
