import { de } from './de.ts';
import { en, type Messages } from './en.ts';

export type { Messages } from './en.ts';

/** Every language an email can be written in; English is the fallback. */
export const CATALOGUES = { en, de } as const satisfies Readonly<Record<string, Messages>>;
export type Language = keyof typeof CATALOGUES;

export interface Localisation {
  readonly language: Language;
  readonly messages: Messages;
  /** The BCP 47 tag dates and times are formatted in. */
  readonly formatLocale: string;
}

const isLanguage = (value: string): value is Language => Object.hasOwn(CATALOGUES, value);

/**
 * The catalogue for a recipient's BCP 47 tag: its base language's ("de-AT" → German), English for
 * a language not shipped. Dates follow the tag's region when it names one ("en-US": a 12-hour
 * clock), else the catalogue's own; only language and region count, so the formats a worker keeps
 * stay few.
 */
export function localisationFor(tag: string): Localisation {
  let locale: Intl.Locale | null = null;
  try {
    locale = new Intl.Locale(tag);
  } catch {
    // Not a tag (stored before tags were checked): English.
  }
  const language = locale && isLanguage(locale.language) ? locale.language : 'en';
  const messages = CATALOGUES[language];
  const region = locale?.language === language ? locale.region : undefined;
  return { language, messages, formatLocale: region ? `${language}-${region}` : messages.formatLocale };
}
