import type { BookingSetup, Database, Repositories } from '@appointments/db';
import { bookingClientId, checkBookable, clientOverlapWaiver, DomainError, staffSchedule, type Appointment, type User } from '@appointments/domain';
import type { Services } from '../context.ts';
import { decideOnKnown, type CallerAccess } from './trust.ts';

/** What a booking needs besides its request: where to write, the settings, and the time. */
export interface BookingDeps {
  readonly db: Database;
  readonly repos: Repositories;
  readonly settings: Services['settings'];
  readonly now: Date;
}

/** A booking request: wall-clock or offset times as sent (read in the staff member's zone). */
export interface BookingRequest {
  readonly staffId: number;
  /** Admins book for this client; clients book for themselves. */
  readonly clientId: number | undefined;
  readonly start: string;
  readonly end: string;
  readonly notes: string | null;
  readonly allowClientOverlap: boolean | undefined;
}

/** A write that must commit with the booking (an idempotent answer, say); it may refuse the whole booking by throwing. */
export type Alongside = (repos: Repositories, appointment: Appointment) => Promise<void>;

/**
 * Books an appointment for the caller. The domain's rules give precise refusals; the database's
 * overlap guard is the last word when two requests race (APPOINTMENT.SLOT_TAKEN). The booking,
 * its history entry and its change (the worker's to turn into emails) commit together, and with
 * them whatever `alongside` writes.
 */
export async function bookAppointment(deps: BookingDeps, access: CallerAccess, request: BookingRequest, alongside?: Alongside): Promise<Appointment> {
  const { repos, settings } = deps;
  const now = deps.now.getTime();
  let named: Promise<User | null> | undefined; // the client named in the request, read once however often it is judged
  const judge = async (user: User, setup: BookingSetup) => {
    const clientId = bookingClientId(user, request.clientId);
    const clientOverlapAllowed = clientOverlapWaiver(user, request.allowClientOverlap);
    const { staff, schedule } = staffSchedule(setup, settings.bookingDefaults, request.staffId, user);
    const client = clientId === user.id ? user : await (named ??= repos.users.findById(clientId));
    if (!client || client.role !== 'client' || !client.isActive) throw new DomainError('USER.NOT_FOUND', `Client ${clientId} not found`);
    const interval = checkBookable({ staff, schedule, start: request.start, end: request.end, clientBlocked: client.isBlocked, now, minMinutes: settings.minAppointmentMinutes });
    return { clientId, staffId: staff.id, ...interval, notes: request.notes, clientOverlapAllowed, actorId: user.id, at: now };
  };
  return decideOnKnown(deps.db, repos, access, request.staffId, judge, async (decided, guards) => {
    const booking = { ...decided, ...guards };
    // book() is atomic on its own; a write alongside must commit with it.
    if (!alongside) return repos.appointments.book(booking);
    return deps.db.transaction(async (inner) => {
      const appointment = await inner.appointments.book(booking);
      await alongside(inner, appointment);
      return appointment;
    });
  });
}
