import type { output } from 'zod';
import type { Database } from '@appointments/db';
import { bookingLimits, slotDateRange, slotsWithin, type BookingRules, type Interval } from '@appointments/domain';
import { boundedCache } from '@appointments/runtime';
import { perDatabase } from '../../per-database.ts';
import type { slotOutput, StaffSlotsQuery } from './slots.schema.ts';

type Slot = output<typeof slotOutput>;

/**
 * One query's slots, computed without notice or horizon (the only parts that move with the clock),
 * from the staff member's data as of `version`.
 */
export interface SlotList {
  readonly version: number;
  readonly booking: BookingRules;
  /** Sorted by start. */
  readonly slots: readonly Interval[];
  /** The same slots as the API returns them. */
  readonly output: readonly Slot[];
}

interface Entry {
  readonly list: SlotList;
  /** The last body served from it: requests in the same minute mostly ask for the same slice. */
  body?: { readonly from: number; readonly to: number; readonly bytes: Buffer };
}

/**
 * Slots kept across all entries (~200 bytes each with their output: ~40 MB at most), a list without
 * any counting as one. Bounded by slots, not entries: one 62-day query at 5-minute slots holds
 * ~18,000, so distinct queries of that size must not add up to gigabytes.
 */
const MAX_CACHED_SLOTS = 200_000;

export interface SlotQueryKey {
  readonly key: string;
  readonly staffId: number;
  /** The query's local dates, first and last. */
  readonly from: string;
  readonly to: string;
}

/** What a query's list is cached under; its date range checked (SLOTS.INVALID_RANGE) as the procedure does. */
export function slotQueryKey(query: StaffSlotsQuery): SlotQueryKey {
  const [from, to] = slotDateRange(query);
  return { key: `${query.staff_id}/${from}/${to}/${query.slot_duration}`, staffId: query.staff_id, from, to };
}

/**
 * Computed slot lists by query, each valid while its staff member's schedule version (bumped by
 * database triggers on every write the slots depend on, in the writing transaction) is unchanged.
 * Every lookup reads the committed version first, so an answer never predates the last committed
 * change, whichever process made it; an entry computed from data newer than its version is only
 * recomputed once more. Least recently used entries go first when the slot budget is full.
 */
export class SlotCache {
  readonly #entries = boundedCache<string, Entry>({ name: 'slot-lists', maxSize: MAX_CACHED_SLOTS, sizeOf: (entry) => entry.list.slots.length });
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The version to compute the query's list at, and the list when it is still current. */
  async find({ key, staffId }: SlotQueryKey): Promise<{ version: number; list: SlotList | undefined }> {
    // Read before any of the data: a write committing in between then makes the entry look stale, never current.
    const version = await this.#db.scheduleVersion(staffId);
    const entry = this.#entries.get(key);
    if (entry?.list.version !== version) return { version, list: undefined };
    return { version, list: entry.list };
  }

  /** Keeps `list` under `key`, replacing what was there; a list over the whole budget is not kept. */
  store(key: string, list: SlotList): void {
    this.#entries.set(key, { list });
  }

  /** Slots held across all entries (a list without any counting as one); never above MAX_CACHED_SLOTS. */
  get size(): number {
    return this.#entries.calculatedSize;
  }

  /** The JSON body of the list's slots bookable at `now`, reusing the last one when the slice is the same. */
  body(key: string, list: SlotList, now: number): Buffer {
    const [from, to] = visibleRange(list, now);
    // A peek: `find` has already marked the entry as used.
    const entry = this.#entries.peek(key);
    if (entry?.list === list && entry.body?.from === from && entry.body.to === to) return entry.body.bytes;
    const bytes = Buffer.from(JSON.stringify(list.output.slice(from, to)));
    if (entry?.list === list) entry.body = { from, to, bytes };
    return bytes;
  }
}

/** The slot cache of an open database, shared by the procedure and the REST fast path. */
export const slotCacheFor = perDatabase((db) => new SlotCache(db));

function visibleRange(list: SlotList, now: number): [number, number] {
  return slotsWithin(list.slots, bookingLimits(list.booking, now));
}

/** The list's slots bookable at `now`: what the procedure returns. */
export function visibleSlots(list: SlotList, now: number): Slot[] {
  const [from, to] = visibleRange(list, now);
  return list.output.slice(from, to);
}
