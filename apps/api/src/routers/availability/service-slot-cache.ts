import type { output } from 'zod';
import type { Database, ServiceSlotState } from '@appointments/db';
import { bookingLimits, formatInstant, mergeStaffSlots, slotDateRange, slotsWithin, type BookingRules, type SeatedSlot } from '@appointments/domain';
import { boundedCache } from '@appointments/runtime';
import { perDatabase } from '../../per-database.ts';
import type { ServiceSlotsQuery, slotOutput } from './slots.schema.ts';

type Slot = output<typeof slotOutput>;

export interface ServiceSlotQueryKey {
  readonly key: string;
  readonly serviceId: number;
  /** Null: every staff member offering the service. */
  readonly staffId: number | null;
  /** As asked; the service's duration is the answer's either way, so it is no part of the key. */
  readonly slotDuration: number | undefined;
  /** The query's local dates, first and last. */
  readonly from: string;
  readonly to: string;
}

/** What a service query's lists are cached under; its date range checked (SLOTS.INVALID_RANGE) as the procedure does. */
export function serviceSlotQueryKey(query: ServiceSlotsQuery): ServiceSlotQueryKey {
  const [from, to] = slotDateRange(query);
  const staffId = query.staff_id ?? null;
  return { key: `${query.service_id}/${staffId ?? '*'}/${from}/${to}`, serviceId: query.service_id, staffId, slotDuration: query.slot_duration, from, to };
}

/** One staff member's slots of the service, computed without notice or horizon (their `booking` gives both per request). */
export interface StaffServiceSlots {
  readonly staffId: number;
  readonly booking: BookingRules;
  /** Sorted by start. */
  readonly slots: readonly SeatedSlot[];
}

/** A service query's slots as of `fingerprint` (ServiceSlotState). */
export interface ServiceSlotList {
  readonly fingerprint: string;
  readonly durationMinutes: number;
  /** Above 1: a group service, whose slots say their seats left. */
  readonly capacity: number;
  /** A staff member was named: the slots are theirs, without staff_ids. */
  readonly named: boolean;
  /** By staff id. */
  readonly staff: readonly StaffServiceSlots[];
}

/** The answer for one set of visible ranges: its slots, and their JSON once asked for. */
interface Visible {
  /** Each staff member's [from, to) into their slots, flattened. */
  readonly ranges: readonly number[];
  readonly output: Slot[];
  bytes?: Buffer;
}

interface Entry {
  readonly list: ServiceSlotList;
  /** The last answer served from it: requests in the same minute see the same ranges. */
  visible?: Visible;
}

/**
 * Staff members' slots kept across all entries; each ~100 bytes with its share of the merged
 * answer. Apart from the per-staff cache's budget: a service's answer is made of many staff
 * members' lists, and each kept whole.
 */
const MAX_CACHED_SLOTS = 100_000;

/**
 * Computed lists by service query, each kept whole with the fingerprint of what it was computed
 * from: the service's slot-shaping fields and the schedule version of every staff member offering
 * it, read in one statement on every lookup. Any booking or change of any of them, or a change to
 * the service or who offers it, moves the fingerprint, so an answer never predates the last
 * committed change. Read before the data, like the per-staff cache's version: a write committing
 * in between makes the entry look stale, never current. Kept per query rather than per staff
 * member: a hit then costs one read and one comparison however many staff offer the service, and
 * a miss re-reads all of them in the same few statements a single one would take.
 */
export class ServiceSlotCache {
  readonly #db: Database;
  readonly #entries = boundedCache<string, Entry>({
    name: 'service-slot-lists',
    maxSize: MAX_CACHED_SLOTS,
    sizeOf: (entry) => entry.list.staff.reduce((sum, staff) => sum + staff.slots.length, 0),
  });

  constructor(db: Database) {
    this.#db = db;
  }

  /** What the service's slots depend on now (null: no such service), and the list when it is still current. */
  async find({ key, serviceId, staffId }: ServiceSlotQueryKey): Promise<{ state: ServiceSlotState | null; list: ServiceSlotList | undefined }> {
    const state = await this.#db.serviceSlotState(serviceId, staffId);
    const entry = this.#entries.get(key);
    if (!state || entry?.list.fingerprint !== state.fingerprint) return { state, list: undefined };
    return { state, list: entry.list };
  }

  store(key: string, list: ServiceSlotList): void {
    this.#entries.set(key, { list });
  }

  get size(): number {
    return this.#entries.calculatedSize;
  }

  /** The list's slots bookable at `now`, each staff member's own notice and horizon applied; reused while those ranges are unchanged. */
  visible(key: string, list: ServiceSlotList, now: number): Visible {
    const ranges = list.staff.flatMap(({ slots, booking }) => slotsWithin(slots, bookingLimits(booking, now)));
    // A peek: `find` has already marked the entry as used.
    const entry = this.#entries.peek(key);
    const kept = entry?.list === list ? entry.visible : undefined;
    if (kept && kept.ranges.every((value, i) => value === ranges[i])) return kept;
    const visible: Visible = { ranges, output: answer(list, ranges) };
    if (entry?.list === list) entry.visible = visible;
    return visible;
  }

  /** The JSON body of `visible`, made once. */
  body(visible: Visible): Buffer {
    return (visible.bytes ??= Buffer.from(JSON.stringify(visible.output)));
  }
}

function answer(list: ServiceSlotList, ranges: readonly number[]): Slot[] {
  const merged = mergeStaffSlots(list.staff.map(({ staffId, slots }, i) => ({ staffId, slots: slots.slice(ranges[2 * i], ranges[2 * i + 1]) })));
  const group = list.capacity > 1;
  return merged.map((slot) => ({
    start_time: formatInstant(slot.start),
    end_time: formatInstant(slot.end),
    ...(!list.named && { staff_ids: slot.staffIds }),
    ...(group && { seats_left: slot.seatsLeft }),
  }));
}

/** The service slot cache of an open database, shared by the procedure and the REST fast path. */
export const serviceSlotCacheFor = perDatabase((db) => new ServiceSlotCache(db));
