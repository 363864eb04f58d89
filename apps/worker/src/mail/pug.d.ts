/** pug 3 ships no types; this covers only what render.ts uses. The package is CommonJS. */
declare module 'pug' {
  namespace pug {
    /** Renders the template with these locals. */
    type compileTemplate = (locals?: object) => string;
    /** `resolve` replaces pug's lookup of `include` and `extends` paths (relative to `source`, the including file). */
    interface Plugin {
      resolve?: (path: string, source: string) => string;
    }
    function compileFile(path: string, options?: { pretty?: boolean; plugins?: Plugin[] }): compileTemplate;
  }

  export = pug;
}
