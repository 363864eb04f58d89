import type { BookingSetup, ServiceSlotState } from '@appointments/db';
import {
  assertAppointmentLength,
  assertServiceVisible,
  bookingLimits,
  DomainError,
  isActiveStaff,
  MAX_BUFFER_MINUTES,
  MINUTE_MS,
  staffSchedule,
  staffServiceSlots,
  wallClockToInstant,
  type User,
} from '@appointments/domain';
import type { PublicContext } from '../../trpc.ts';
import { serviceSlotCacheFor, serviceSlotQueryKey, type ServiceSlotList, type ServiceSlotQueryKey, type StaffServiceSlots } from './service-slot-cache.ts';
import type { ServiceSlotsQuery } from './slots.schema.ts';

/** Slots of a service: one staff member's, or every offering staff member's merged. */
export async function serviceSlots(ctx: PublicContext, input: ServiceSlotsQuery) {
  const cache = serviceSlotCacheFor(ctx.services.db);
  const query = serviceSlotQueryKey(input);
  const { state, list: found, stale } = await cache.find(query);
  let list = found;
  if (!list) {
    list = await computeServiceSlotList(ctx, query, state, stale);
    cache.store(query.key, list);
  } else assertDuration(query, list.durationMinutes);
  return cache.visible(query.key, list, ctx.now.getTime()).output;
}

/** An unknown or inactive service is not found, whoever asks. */
function assertLive(state: ServiceSlotState | null, serviceId: number): asserts state is ServiceSlotState {
  assertServiceVisible(state?.service ?? null, serviceId, null);
}

function assertDuration({ slotDuration }: ServiceSlotQueryKey, durationMinutes: number): void {
  if (slotDuration !== undefined && slotDuration !== durationMinutes) {
    throw new DomainError('SERVICE.DURATION_MISMATCH', `This service lasts ${durationMinutes} minutes: omit slot_duration or give that`, { duration_minutes: durationMinutes });
  }
}

/**
 * Every slot of the query's dates, whatever the time: notice and horizon are applied per request,
 * per staff member. Staff members whose schedule version (and the service's) is what `stale` was
 * computed at keep its lists; the others are read, in a few statements for all of them, and computed.
 */
async function computeServiceSlotList(ctx: PublicContext, query: ServiceSlotQueryKey, state: ServiceSlotState | null, stale: ServiceSlotList | undefined): Promise<ServiceSlotList> {
  assertLive(state, query.serviceId);
  const { service } = state;
  assertAppointmentLength(service.durationMinutes * MINUTE_MS, ctx.services.settings.minAppointmentMinutes);
  assertDuration(query, service.durationMinutes);
  const { repos } = ctx;
  const defaults = ctx.services.settings.bookingDefaults;
  // Read after the state, before the data: a write in between makes this list stale, never wrong.
  const versions = await repos.appointments.offeringVersions(query.serviceId, query.staffId);
  const reusable = stale?.serviceVersion === state.version ? stale : undefined;
  const fresh = new Set(versions.filter(({ staffId, version }) => reusable?.versions.get(staffId) !== version).map(({ staffId }) => staffId));
  const setups = [...(await repos.appointments.bookingSetups([...fresh])).values()].filter((setup): setup is BookingSetup & { staff: User } => setup.staff !== null);
  if (query.staffId !== null) {
    // The named staff member must exist (as for their own slots) and offer the service; one kept from `stale` did.
    const [setup] = versions.length > 0 ? setups : [await repos.appointments.bookingSetup(query.staffId)];
    if (setup) staffSchedule(setup, defaults, query.staffId, null);
    if (versions.length === 0) throw new DomainError('SERVICE.NOT_OFFERED', `Staff member ${query.staffId} does not offer service ${query.serviceId}`);
  }
  const offering = setups.filter((setup) => isActiveStaff(setup.staff)).map((setup) => staffSchedule(setup, defaults, setup.staff.id, null));

  // One read of their busy time, from the earliest local midnight to the latest, widened by the longest buffer.
  const margin = MAX_BUFFER_MINUTES * MINUTE_MS;
  const starts = offering.map(({ staff }) => wallClockToInstant(query.from, '00:00:00', staff.timezone, 'start'));
  const ends = offering.map(({ staff }) => wallClockToInstant(query.to, '24:00:00', staff.timezone, 'end'));
  const ids = offering.map(({ staff }) => staff.id);
  const busy = await repos.appointments.busyIntervalsOf(ids, Math.min(...starts) - margin, Math.max(...ends) + margin);
  const capped = offering.filter(({ schedule }) => schedule.booking.maxBookingsPerDay !== null).map(({ staff }) => staff.id);
  const bookings = capped.length > 0 ? await repos.appointments.bookingsByDate(capped, query.from, query.to) : new Map<number, [string, number][]>();

  const computed = new Map<number, StaffServiceSlots>();
  for (const { staff, schedule } of offering) {
    const { booking, slots } = staffServiceSlots({
      zone: staff.timezone,
      schedule,
      service,
      fromDate: query.from,
      toDate: query.to,
      busy: busy.get(staff.id) ?? [],
      bookingsByDate: bookings.get(staff.id) ?? [],
    });
    computed.set(staff.id, { staffId: staff.id, limits: bookingLimits(booking, 0), slots });
  }
  const kept = new Map(reusable?.staff.map((lists) => [lists.staffId, lists]));
  const staff = versions.flatMap(({ staffId }) => {
    const lists = fresh.has(staffId) ? computed.get(staffId) : kept.get(staffId);
    return lists ? [lists] : [];
  });
  return {
    fingerprint: state.fingerprint,
    serviceVersion: state.version,
    versions: new Map(versions.map(({ staffId, version }) => [staffId, version])),
    durationMinutes: service.durationMinutes,
    capacity: service.capacity,
    named: query.staffId !== null,
    staff,
  };
}
