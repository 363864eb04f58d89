import { z } from 'zod';
import { formatInstant, type Instant } from '@appointments/domain';
import { cursorInput, nextCursorOutput } from './cursor.ts';

/** The database's id range (int4). */
const MAX_ID = 2_147_483_647;

/**
 * Whatever is wrong with an id ("abc", -1, 0, 1.5, 99999999999999999999), in a path or a body,
 * the answer says what an id is, with the same words on every route. A missing one keeps zod's message.
 */
export const NOT_AN_ID = `Expected an id: a whole number from 1 to ${MAX_ID}`;
const notAnId = (issue: { input?: unknown }) => (issue.input === undefined ? undefined : NOT_AN_ID);

/** Path and body ids: positive integers within the database's range. */
export const idParam = z
  .number({ error: notAnId })
  // A number past 2^53 would fail the range check too: one issue is enough.
  .int({ error: notAnId, abort: true })
  .min(1, { error: notAnId })
  .max(MAX_ID, { error: notAnId });

/** A datetime as the seed sends it; parsed in the handler, where the staff member's zone is known. */
export const dateTimeInput = z
  .string()
  .min(10)
  .max(40)
  .meta({ description: 'ISO 8601. With an offset or Z it is taken as given; without one it is read in the staff member’s time zone.', examples: ['2026-02-02T10:00:00'] });

export const dateInput = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date as YYYY-MM-DD')
  .meta({ examples: ['2026-02-02'] });

export const timeInput = z
  .string()
  .regex(/^\d{2}:\d{2}(:\d{2})?$/, 'Expected a time as HH:MM:SS')
  .meta({ description: 'Wall-clock time in the staff member’s zone; an end may be 24:00:00', examples: ['09:00:00'] });

/*
 * Answers' examples tell the request examples' story: the admin is user 1, John Staff (2) and
 * Jane Client (3) live in Europe/Berlin; on 26 January Jane books appointment 1 with John for
 * 2 February, 10:00–11:00 in Berlin (09:00–10:00 UTC).
 */

/** An id in an answer, with the story's id as its example. */
export const idOutput = (example: number) => z.number().int().min(1).meta({ examples: [example] });

/** A count (or a version): never negative. */
export const countOutput = (example: number) => z.number().int().min(0).meta({ examples: [example] });

/** Instants leave the API as ISO 8601 in UTC. The example is when the story's records were written. */
export const instantOutput = z.iso.datetime().meta({ examples: ['2026-01-26T08:15:00.000Z'] });

/** `skip`/`limit` paging, as the seed's list endpoints take it, or a cursor. */
export const pageInputShape = {
  skip: z.number().int().min(0).max(1_000_000).default(0),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: cursorInput.optional(),
};
export const PAGE_DEFAULTS = { skip: 0, limit: 50 } as const;

/** `limit`/`offset` paging, or a cursor, of the lists that answer REST with a bare array (cursorPageOutput). */
export const cursorListInputShape = {
  limit: z.number().int().min(1).max(200).default(50),
  offset: z.number().int().min(0).max(1_000_000).default(0),
  cursor: cursorInput.optional(),
};
export const CURSOR_LIST_DEFAULTS = { limit: 50, offset: 0 } as const;

/** One page of `item`s, the total across all pages (counted for offset pages only), and the next page's cursor. */
export function pageOutput<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      total: countOutput(1).nullable().meta({ description: 'Every matching row; null on a page read at a cursor, which counts nothing' }),
      skip: countOutput(PAGE_DEFAULTS.skip),
      limit: z.number().int().min(1).meta({ examples: [PAGE_DEFAULTS.limit] }),
      next_cursor: nextCursorOutput,
    })
    .meta({ id });
}

/**
 * One page of `item`s and the next page's cursor. REST answers the items as a bare array (as the
 * seed did) and the cursor in headers (procedures with `cursorInHeaders`, rest/cursor-headers.ts).
 */
export function cursorPageOutput<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_cursor: nextCursorOutput });
}

/** A nullable instant as it leaves the API (`instantOutput.nullable()`). */
export const formatInstantOrNull = (instant: Instant | null): string | null => (instant === null ? null : formatInstant(instant));
