/** pug 3 ships no types; this covers only what render.ts uses. The package is CommonJS. */
declare module 'pug' {
  namespace pug {
    /** Renders the template with these locals. */
    type compileTemplate = (locals?: object) => string;
    function compileFile(path: string, options?: { pretty?: boolean }): compileTemplate;
  }

  export = pug;
}
