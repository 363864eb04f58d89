/** html-to-text 9 ships no types; this covers only what render.ts uses. */
declare module 'html-to-text' {
  interface Selector {
    selector: string;
    format?: string;
    options?: Record<string, unknown>;
  }

  /** A converter for these options, built once (the costly part) and called per document. */
  export function compile(options: { wordwrap?: number | false; preserveNewlines?: boolean; selectors?: Selector[] }): (html: string) => string;
}
