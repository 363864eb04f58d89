import { describe, expect, it } from 'vitest';
import { CATALOGUES, localisationFor } from './index.ts';

/** Every leaf's path, and for a function the number of parameters it takes. */
function shape(value: unknown, path = ''): string[] {
  if (typeof value === 'function') return [`${path}(${value.length})`];
  if (typeof value === 'string') return [path];
  return Object.entries(value as object).flatMap(([key, child]) => shape(child, path ? `${path}.${key}` : key));
}

/** A sample argument for any message: text where a string is taken, with the fields where an object is. */
const SAMPLE = Object.assign(new String('X'), { what: 'W', date: 'D', time: 'T', organization: 'O' });

/** Every leaf as text: functions called with sample arguments. */
function texts(value: unknown): string[] {
  if (typeof value === 'function') return [String(value(SAMPLE, SAMPLE))];
  if (typeof value === 'string') return [value];
  return Object.values(value as object).flatMap(texts);
}

describe('the message catalogues', () => {
  const [english, ...others] = Object.entries(CATALOGUES);

  it.each(others)('%s has exactly the keys English has, each of the same kind', (_language, messages) => {
    expect(shape(messages)).toEqual(shape(english![1]));
  });

  it.each(Object.entries(CATALOGUES))('%s has no empty message and no placeholder left unfilled', (_language, messages) => {
    for (const text of texts(messages)) {
      expect(text.trim()).not.toBe('');
      expect(text).not.toMatch(/undefined|\$\{|\[object/);
    }
  });

  it('German is German, not English copied', () => {
    const same = texts(CATALOGUES.de).filter((text, i) => text === texts(CATALOGUES.en)[i]);
    expect(same).toEqual([]);
  });
});

describe('localisationFor', () => {
  it.each([
    ['en', 'en', 'en-GB'],
    ['de', 'de', 'de-DE'],
    ['de-AT', 'de', 'de-AT'],
    ['de-CH-1996', 'de', 'de-CH'],
    ['en-US', 'en', 'en-US'],
    // Languages not shipped fall back to English, dates and all.
    ['fr', 'en', 'en-GB'],
    ['fr-FR', 'en', 'en-GB'],
    ['not a tag!', 'en', 'en-GB'],
  ])('%s → %s, dates as %s', (tag, language, formatLocale) => {
    expect(localisationFor(tag)).toMatchObject({ language, formatLocale });
    expect(localisationFor(tag).messages).toBe(CATALOGUES[language as keyof typeof CATALOGUES]);
  });
});
