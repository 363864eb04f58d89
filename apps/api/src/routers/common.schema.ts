import { z } from 'zod';
import { formatInstant, type Instant } from '@appointments/domain';

/** Path and body ids: positive integers within the database's range. */
export const idParam = z.number().int().positive().max(2_147_483_647);

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

/** Instants leave the API as ISO 8601 in UTC. */
export const instantOutput = z.iso.datetime();

/** `skip`/`limit` paging, as the seed's list endpoints take it. */
export const pageInputShape = {
  skip: z.number().int().min(0).max(1_000_000).default(0),
  limit: z.number().int().min(1).max(200).default(50),
};
export const PAGE_DEFAULTS = { skip: 0, limit: 50 } as const;

/** One page of `item`s and the total across all pages. */
export function pageOutput<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), total: z.number().int().min(0), skip: z.number().int().min(0), limit: z.number().int().min(1) }).meta({ id });
}

/** A nullable instant as it leaves the API (`instantOutput.nullable()`). */
export const formatInstantOrNull = (instant: Instant | null): string | null => (instant === null ? null : formatInstant(instant));
