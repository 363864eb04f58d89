/**
 * Instants as a person reads them: in their own zone and language, the zone named by its name and
 * UTC offset at that instant ("Central European Standard Time (UTC+1)"), never by its IANA id.
 * Pure: Intl with an explicit zone and locale.
 */
import type { Instant } from '../scheduling/types.ts';

/** An interval as one person reads it, e.g. "Tuesday, 1 December 2026, 14:00–15:00 Central European Standard Time (UTC+1)". */
export interface LocalInterval {
  readonly date: string;
  readonly start: string;
  readonly end: string;
  /** The IANA zone, for templates that want it; people read `zoneName`. */
  readonly zone: string;
  /** The zone's name and offset at the start, e.g. "Mitteleuropäische Normalzeit (UTC+1)". */
  readonly zoneName: string;
  readonly text: string;
}

interface ZoneFormats {
  readonly day: Intl.DateTimeFormat;
  readonly time: Intl.DateTimeFormat;
  readonly name: Intl.DateTimeFormat;
  readonly offset: Intl.DateTimeFormat;
}

/** Building an Intl.DateTimeFormat costs far more than formatting with one, so each locale's and zone's are built once. */
const zoneFormats = new Map<string, ZoneFormats>();
/** Locales are language and region only (see localisationFor), zones a fixed list: the bound is a backstop. */
const MAX_FORMATS = 2_000;

function formatsFor(zone: string, locale: string): ZoneFormats {
  const key = `${locale} ${zone}`;
  let formats = zoneFormats.get(key);
  if (!formats) {
    if (zoneFormats.size >= MAX_FORMATS) zoneFormats.clear();
    formats = {
      day: new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
      time: new Intl.DateTimeFormat(locale, { timeZone: zone, timeStyle: 'short' }),
      // The specific name ("…Standard Time", "…Summer Time"), so it agrees with the offset beside it.
      name: new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'long' }),
      // en-US writes every offset alike ("GMT+5:30", an ASCII minus), whatever the reader's language.
      offset: new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }),
    };
    zoneFormats.set(key, formats);
  }
  return formats;
}

const partOf = (format: Intl.DateTimeFormat, instant: Instant) => format.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? '';

/** "Central European Standard Time (UTC+1)"; a zone with no name of its own (Etc/GMT+5) shows its offset alone. */
function zoneLabel(formats: ZoneFormats, instant: Instant): string {
  const offset = partOf(formats.offset, instant).replace(/^GMT(\+0)?$/, 'UTC').replace(/^GMT/, 'UTC');
  const name = partOf(formats.name, instant);
  return name === '' || /^(GMT|UTC)([+\-−]|$)/.test(name) ? offset : `${name} (${offset})`;
}

/** Formats `[start, end)` in `zone` for a reader of `locale`; the end gets its date too when it falls on another day. */
export function localInterval(start: Instant, end: Instant, zone: string, locale = 'en-GB'): LocalInterval {
  const formats = formatsFor(zone, locale);
  const { day, time } = formats;
  const zoneName = zoneLabel(formats, start);
  const endZoneName = zoneLabel(formats, end);
  const date = day.format(start);
  const endDate = day.format(end);
  const endText = endDate === date ? time.format(end) : `${endDate}, ${time.format(end)}`;
  return {
    date,
    start: time.format(start),
    end: endText,
    zone,
    zoneName,
    // Across a DST change each end names its own offset, or one of them would read wrong.
    text:
      endZoneName === zoneName
        ? `${date}, ${time.format(start)}–${endText} ${zoneName}`
        : `${date}, ${time.format(start)} ${zoneName} – ${endText} ${endZoneName}`,
  };
}
