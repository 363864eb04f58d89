/** No input of ours nests deeper than a few levels; anything deeper is refused before it is walked. */
export const MAX_INPUT_DEPTH = 32;

/** With the u flag only an unpaired surrogate matches: a pair is one code point. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

export type InputProblem =
  | { readonly kind: 'too_deep' }
  /** A string (or key) with a lone surrogate ("\ud800" in JSON): the databases would store U+FFFD instead. */
  | { readonly kind: 'lone_surrogate'; readonly path: (string | number)[] };

/**
 * Walks parsed JSON once, without recursion (a deeply nested body must not overflow the stack),
 * and names the first thing no procedure could accept.
 */
export function inputProblem(input: unknown): InputProblem | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return { kind: 'lone_surrogate', path };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_INPUT_DEPTH) return { kind: 'too_deep' };
    for (const [key, item] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) return { kind: 'lone_surrogate', path: [...path, key] };
      stack.push({ value: item, path: [...path, key] });
    }
  }
  return undefined;
}
