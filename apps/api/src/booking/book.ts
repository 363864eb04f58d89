import type { BookingWrite, Repositories, ServiceForBooking } from '@appointments/db';
import { actedBy, assertOffers, assertVerifiedToBook, bookingClientId, checkBookable, clientOverlapWaiver, DomainError, possibleLocalDates, staffSchedule, type NamedAppointment, type User } from '@appointments/domain';
import { bookAnyStaff } from './assign.ts';
import type { BookingDeps, StaffJudge } from './deps.ts';
import { decideOnKnown, type CallerAccess, type WriteGuards } from './trust.ts';

/** A booking request: wall-clock or offset times as sent (read in the staff member's zone). */
export interface BookingRequest {
  /** Left out for a service: whoever offers it and can take the time is assigned. */
  readonly staffId: number | undefined;
  readonly serviceId: number | undefined;
  /** Admins book for this client; clients book for themselves. */
  readonly clientId: number | undefined;
  readonly start: string;
  /** Left out for a service: it lasts its duration. */
  readonly end: string | undefined;
  readonly notes: string | null;
  readonly allowClientOverlap: boolean | undefined;
}

/** A write that must commit with the booking (an idempotent answer, say); it may refuse the whole booking by throwing. */
export type Alongside = (repos: Repositories, appointment: NamedAppointment) => Promise<void>;

/** A booking as judged: what to write, its local date always given. */
type Decided = BookingWrite & { readonly localDate: string };

/** The service a request names, if it may be booked: it exists and is active (inactive ones are for admins to see, not to book). */
async function bookableService(repos: Repositories, request: BookingRequest): Promise<ServiceForBooking | null> {
  const { serviceId } = request;
  if (serviceId === undefined) return null;
  // Assigning someone orders them by their day's bookings: read with the service, one round trip.
  const service = await repos.appointments.bookedService(serviceId, request.staffId === undefined ? possibleLocalDates(request.start) : undefined);
  if (!service?.isActive) throw new DomainError('SERVICE.NOT_FOUND', `Service ${serviceId} not found`);
  return service;
}

/**
 * Books an appointment for the caller, with the staff member named or, for a service, the one
 * assigned (booking/assign.ts). The domain's rules give precise refusals; the database's guards
 * are the last word when requests race (overlap: SLOT_TAKEN; a group occurrence's seats:
 * FULLY_BOOKED; the staff member's daily cap: DAILY_LIMIT_REACHED). The booking, its history
 * entry and its change (the worker's to turn into emails) commit together, and with them
 * whatever `alongside` writes.
 */
export async function bookAppointment(deps: BookingDeps, access: CallerAccess, request: BookingRequest, alongside?: Alongside): Promise<NamedAppointment> {
  const { repos, settings } = deps;
  const now = deps.now.getTime();
  const service = await bookableService(repos, request);
  let named: Promise<User | null> | undefined; // the client named in the request, read once however often it is judged
  const judge: StaffJudge<Decided> = (staffId) => async (user, setup) => {
    const clientId = bookingClientId(user, request.clientId);
    const clientOverlapAllowed = clientOverlapWaiver(user, request.allowClientOverlap);
    const { staff, schedule } = staffSchedule(setup, settings.bookingDefaults, staffId, user);
    // A client books for themselves, as they read now; anyone else names the client, read once.
    const client = user.role === 'client' ? user : await (named ??= repos.users.findById(clientId));
    if (!client || client.role !== 'client' || !client.isActive) throw new DomainError('USER.NOT_FOUND', `Client ${clientId} not found`);
    assertVerifiedToBook(user, settings.requireVerifiedEmail);
    const interval = checkBookable({ staff, schedule, service, start: request.start, end: request.end, clientBlocked: client.isBlocked, now, minMinutes: settings.minAppointmentMinutes });
    return { clientId, staffId: staff.id, serviceId: service?.id ?? null, ...interval, notes: request.notes, clientOverlapAllowed, ...actedBy(user), at: now };
  };
  const write = async (decided: Decided, guards: WriteGuards) => {
    const booking = { ...decided, ...guards };
    // book() is atomic on its own; a write alongside must commit with it.
    if (!alongside) return repos.appointments.book(booking);
    return deps.db.transaction(async (inner) => {
      const appointment = await inner.appointments.book(booking);
      await alongside(inner, appointment);
      return appointment;
    });
  };
  if (request.staffId !== undefined) {
    if (service) assertOffers(service, request.staffId);
    return decideOnKnown(deps.db, repos, access, request.staffId, judge(request.staffId), write);
  }
  // The input schema requires staff_id without service_id.
  if (!service) throw new DomainError('VALIDATION.FAILED', 'Name a staff member (staff_id) or a service (service_id)');
  return bookAnyStaff(deps, access, service, request.start, judge, write);
}
