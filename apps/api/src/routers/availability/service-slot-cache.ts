import type { output } from 'zod';
import type { Database, ServiceSlotState } from '@appointments/db';
import { formatInstant, mergeStaffSlots, slotDateRange, slotsWithinAt, type BookingLimits, type Instant, type MergedSlot, type SeatedSlot } from '@appointments/domain';
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

/** One staff member's slots of the service, computed without notice or horizon (applied per request from `limits`). */
export interface StaffServiceSlots {
  readonly staffId: number;
  /** Their booking limits at time 0: each request's are these plus its time. */
  readonly limits: Pick<BookingLimits, 'earliestStart' | 'latestStart'>;
  /** Sorted by start. */
  readonly slots: readonly SeatedSlot[];
}

/** A service query's slots as of `fingerprint` (ServiceSlotState). */
export interface ServiceSlotList {
  readonly fingerprint: string;
  /** The service's version, and each offering staff member's schedule version, the lists were computed at. */
  readonly serviceVersion: number;
  readonly versions: ReadonlyMap<number, number>;
  readonly durationMinutes: number;
  /** Above 1: a group service, whose slots say their seats left. */
  readonly capacity: number;
  /** A staff member was named: the slots are theirs, without staff_ids. */
  readonly named: boolean;
  /** By staff id; only those who can be booked (active staff). */
  readonly staff: readonly StaffServiceSlots[];
}

/** The answer at the times from `validFrom` to before `validUntil` (no notice or horizon crosses a slot meanwhile), and its JSON once asked for. */
interface Visible {
  readonly validFrom: Instant;
  readonly validUntil: Instant;
  readonly output: Slot[];
  bytes?: Buffer;
}

interface Entry {
  readonly list: ServiceSlotList;
  /** The last answer served from it: later requests mostly fall in its span. */
  visible?: Visible;
}

/**
 * Staff members' slots kept across all entries, apart from the per-staff cache's budget: a
 * service's answer is made of many staff members' lists, each kept whole.
 */
const MAX_CACHED_SLOTS = 100_000;

/**
 * Computed lists by service query, each kept whole with the fingerprint of what it was computed
 * from (ServiceSlotState): the service's version and the schedule versions of the staff members
 * offering it, read in one statement on every lookup. Any booking or change of any of them, or a change to
 * the service or who offers it, moves the fingerprint, so an answer never predates the last
 * committed change. Read before the data, like the per-staff cache's version: a write committing
 * in between makes the entry look stale, never current. Kept per query rather than per staff
 * member: a hit then costs one read and one comparison however many staff offer the service. A miss
 * reads every staff member's schedule version and recomputes only those whose version (or the
 * service's) moved, reusing the stale entry's lists of the others.
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

  /**
   * What the service's slots depend on now (null: no such service), and the list when it is still
   * current; otherwise the stale one, if any, whose unchanged staff members' lists can be reused.
   */
  async find({ key, serviceId, staffId }: ServiceSlotQueryKey): Promise<{ state: ServiceSlotState | null; list?: ServiceSlotList; stale?: ServiceSlotList }> {
    const state = await this.#db.serviceSlotState(serviceId, staffId);
    const list = this.#entries.get(key)?.list;
    if (!state || list?.fingerprint !== state.fingerprint) return { state, stale: list };
    return { state, list };
  }

  store(key: string, list: ServiceSlotList): void {
    this.#entries.set(key, { list });
  }

  get size(): number {
    return this.#entries.calculatedSize;
  }

  /** The list's slots bookable at `now`, each staff member's own notice and horizon applied; reused while no slot enters or leaves those. */
  visible(key: string, list: ServiceSlotList, now: number): Visible {
    // A peek: `find` has already marked the entry as used.
    const entry = this.#entries.peek(key);
    const kept = entry?.list === list ? entry.visible : undefined;
    if (kept && kept.validFrom <= now && now < kept.validUntil) return kept;
    let validFrom = -Infinity;
    let validUntil = Infinity;
    const lists = list.staff.map(({ staffId, slots, limits }) => {
      const within = slotsWithinAt(slots, limits, now);
      validFrom = Math.max(validFrom, within.validFrom);
      validUntil = Math.min(validUntil, within.validUntil);
      return { staffId, slots: slots.slice(...within.range) };
    });
    const visible: Visible = { validFrom, validUntil, output: answer(list, mergeStaffSlots(lists)) };
    if (entry?.list === list) entry.visible = visible;
    return visible;
  }

  /** The JSON body of `visible`, made once. */
  body(visible: Visible): Buffer {
    return (visible.bytes ??= Buffer.from(JSON.stringify(visible.output)));
  }
}

function answer(list: ServiceSlotList, merged: readonly MergedSlot[]): Slot[] {
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
