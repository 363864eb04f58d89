import { DomainError } from '../errors.ts';
import type { ActorRef, UserActor } from '../auth/actor.ts';
import type { User } from '../users/user.ts';

/**
 * The target of availability and booking must be an existing, active staff member. Only an admin
 * (`viewer`) learns that an id belongs to a user who is not staff (422 STAFF.NOT_STAFF); anyone
 * else gets the 404 of an unknown staff member, so public lookups cannot probe ids for clients and admins.
 */
export function assertStaff(user: Pick<User, 'role' | 'isActive'> | null, staffId: number, viewer: Pick<User, 'role'> | null): asserts user is NonNullable<typeof user> {
  const notFound = () => new DomainError('STAFF.NOT_FOUND', `Staff member ${staffId} not found`);
  if (user && isActiveStaff(user)) return;
  if (!user || !user.isActive) throw notFound();
  throw viewer?.role === 'admin' ? new DomainError('STAFF.NOT_STAFF', `User ${staffId} is not a staff member`) : notFound();
}

/** Whether slots and bookings may name this user: an active staff member. */
export function isActiveStaff(user: Pick<User, 'role' | 'isActive'>): boolean {
  return user.isActive && user.role === 'staff';
}

/** Staff manage their own directory entry, availability and booking rules; admins anyone's. */
export function assertCanManageStaff(actor: ActorRef, staffId: number): void {
  if (actor.role === 'admin' || (actor.role === 'staff' && actor.id === staffId)) return;
  throw new DomainError('AUTH.FORBIDDEN', 'You can only manage your own profile, availability and booking rules');
}

/**
 * Whether the client-busy guard is waived for this booking or move (`allow_client_overlap`): an
 * admin acting for the client may, to book them into two things at once on purpose; anyone else
 * asking is refused.
 */
export function clientOverlapWaiver(actor: ActorRef, requested: boolean | undefined): boolean {
  if (requested !== true) return false;
  if (actor.role !== 'admin') throw new DomainError('AUTH.FORBIDDEN', 'Only an admin can book a client over their other appointments');
  return true;
}

/**
 * Who an appointment is booked for: a client books for themselves; an admin books for a named
 * client; staff do not book (they are booked).
 */
export function bookingClientId(actor: ActorRef, requestedClientId: number | undefined): number {
  if (actor.role === 'client') {
    if (requestedClientId !== undefined && requestedClientId !== actor.id) {
      throw new DomainError('AUTH.FORBIDDEN', 'Clients can only book for themselves');
    }
    return actor.id;
  }
  if (actor.role === 'admin') {
    if (requestedClientId === undefined) throw new DomainError('APPOINTMENT.CLIENT_REQUIRED', 'An admin must name the client_id to book for');
    return requestedClientId;
  }
  throw new DomainError('AUTH.FORBIDDEN', 'Staff members cannot book appointments');
}

/**
 * The account a guest books as, found by their email: a client's, and an active one. A staff
 * member's or an admin's email is taken, as registration answers; a deactivated account books no
 * more than its sessions could. A blocked client passes here: the booking rules refuse them.
 */
export function assertGuestAccount(user: Pick<User, 'role' | 'isActive'>): void {
  if (user.role !== 'client') throw new DomainError('USER.EMAIL_TAKEN', 'A user with this email already exists');
  if (!user.isActive) throw new DomainError('AUTH.INACTIVE_USER', 'This account is deactivated');
}

export interface AppointmentScope {
  readonly clientId?: number;
  readonly staffId?: number;
}

/**
 * Which side of an appointment makes it the actor's own, by their current role: a client's are
 * booked for them, a staff member's (and an admin's: a promoted staff member keeps their
 * calendar) assigned to them. Reading the role as it is now means a role change leaves no power
 * over the former role's appointments: a staff member made a client is a stranger to them.
 */
function ownSide(actor: ActorRef): 'clientId' | 'staffId' {
  return actor.role === 'client' ? 'clientId' : 'staffId';
}

/** A user's own appointments (their calendar feed), never everything an admin may see. */
export function ownAppointments(actor: Pick<UserActor, 'id' | 'role'>): AppointmentScope {
  return { [ownSide(actor)]: actor.id };
}

/** Whether the appointment is the actor's own by their current role (ownSide). */
export function isOwnAppointment(actor: ActorRef, appointment: { clientId: number; staffId: number }): boolean {
  return appointment[ownSide(actor)] === actor.id;
}

/**
 * Narrows a listing to what the actor may see: a client their own, staff those assigned to them,
 * admins everything. Asking for someone else's is refused rather than silently ignored.
 */
export function appointmentScope(actor: ActorRef, requested: AppointmentScope): AppointmentScope {
  if (actor.role === 'admin') return requested;
  const side = ownSide(actor);
  if (requested[side] !== undefined && requested[side] !== actor.id) {
    throw new DomainError('AUTH.FORBIDDEN', `You can only list your own appointments`);
  }
  return { ...requested, ...ownAppointments(actor) };
}

/** Whether the actor may see one appointment: an admin, or one of its own (its client, or its staff member, by current role). */
export function canSeeAppointment(actor: ActorRef, appointment: { clientId: number; staffId: number }): boolean {
  return actor.role === 'admin' || isOwnAppointment(actor, appointment);
}
