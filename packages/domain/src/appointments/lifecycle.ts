import { DomainError } from '../errors.ts';
import { isOwnAppointment } from '../scheduling/access.ts';
import type { AppointmentStatus, Instant } from '../scheduling/types.ts';
import type { ActorRef } from '../auth/actor.ts';
import type { Appointment } from './appointment.ts';

/**
 * The appointment status machine: scheduled → completed | no_show | cancelled, nothing else.
 * States are a discriminated union, so a transition function only accepts a scheduled
 * appointment: `complete(cancelledAppointment)` does not compile. At run time, data read from
 * storage passes through `requireScheduled`, which refuses with 409.
 */
export type AppointmentState = Pick<Appointment, 'status' | 'start' | 'clientId' | 'staffId' | 'sequence'>;
export type Scheduled<T extends AppointmentState> = T & { readonly status: 'scheduled' };

export type LifecycleAction = 'update' | 'cancel' | 'reschedule' | 'complete' | 'no_show';

export function requireScheduled<T extends AppointmentState>(appointment: T, action: LifecycleAction): Scheduled<T> {
  if (appointment.status !== 'scheduled') {
    throw new DomainError('APPOINTMENT.NOT_SCHEDULED', `Only a scheduled appointment can be ${PAST[action]}; this one is ${appointment.status}`, {
      status: appointment.status,
    });
  }
  return appointment as Scheduled<T>;
}

const PAST: Record<LifecycleAction, string> = {
  update: 'changed',
  cancel: 'cancelled',
  reschedule: 'rescheduled',
  complete: 'marked completed',
  no_show: 'marked as a no-show',
};

export interface LifecyclePolicy {
  readonly cancellationWindowMinutes: number;
  readonly noShowBlockThreshold: number;
}

/**
 * Who may do what to a scheduled appointment, and whether the cancellation window is being
 * overridden. Clients and staff cannot cancel or reschedule within the window before the start;
 * admins may, and the override is reported so history can record it. Marking completed or
 * no-show is for the assigned staff member or an admin, once the appointment has started.
 * Parties count by their current role (isOwnAppointment): a former staff member has no say.
 */
export function authorizeLifecycle(
  actor: ActorRef,
  appointment: Scheduled<AppointmentState>,
  action: LifecycleAction,
  now: Instant,
  policy: LifecyclePolicy,
): { readonly policyOverride: boolean } {
  const admin = actor.role === 'admin';
  if (action === 'complete' || action === 'no_show') {
    if (!admin && (actor.role !== 'staff' || !isOwnAppointment(actor, appointment))) throw forbidden(action, 'the assigned staff member or an admin');
    if (now < appointment.start) throw new DomainError('APPOINTMENT.NOT_STARTED', 'An appointment can only be marked once it has started');
    return { policyOverride: false };
  }
  if (!admin && !isOwnAppointment(actor, appointment)) throw forbidden(action, 'its client, its staff member or an admin');
  if (action === 'update') return { policyOverride: false };
  const withinWindow = now > appointment.start - policy.cancellationWindowMinutes * 60_000;
  if (withinWindow && !admin) {
    throw new DomainError(
      'APPOINTMENT.WITHIN_CANCELLATION_WINDOW',
      `Appointments cannot be ${PAST[action]} within ${policy.cancellationWindowMinutes} minutes of their start`,
      { cancellation_window_minutes: policy.cancellationWindowMinutes },
    );
  }
  return { policyOverride: withinWindow };
}

function forbidden(action: LifecycleAction, who: string): DomainError {
  return new DomainError('AUTH.FORBIDDEN', `Only ${who} can have an appointment ${PAST[action]}`);
}

export const STATUS_AFTER: Record<'cancel' | 'complete' | 'no_show', AppointmentStatus> = {
  cancel: 'cancelled',
  complete: 'completed',
  no_show: 'no_show',
};

/**
 * The version after a change. Every change raises it, so it orders them (history, emails) and each
 * change can be made conditional on the version it was decided on; it is also the iCalendar
 * SEQUENCE, where calendar apps apply an update only if it is higher than the last one seen.
 */
export function nextSequence(appointment: Pick<AppointmentState, 'sequence'>): number {
  return appointment.sequence + 1;
}

/** A client's precondition (`expected_sequence`, HTTP's If-Match in the body): the change applies only to that version. */
export function requireSequence(appointment: Pick<AppointmentState, 'sequence'>, expected: number | undefined): void {
  if (expected !== undefined && expected !== appointment.sequence) throw changedConcurrently();
}

export function changedConcurrently(): DomainError {
  return new DomainError('APPOINTMENT.CHANGED_CONCURRENTLY', 'The appointment was changed by someone else meanwhile; reload it');
}

export interface ClientCounters {
  readonly noShowCount: number;
  readonly completedCount: number;
  readonly isBlocked: boolean;
}

/** A no-show counts against the client and blocks them at the threshold; a completion is counted. */
export function countersAfter(
  client: ClientCounters,
  outcome: 'completed' | 'no_show',
  policy: LifecyclePolicy,
): ClientCounters & { readonly blockedNow: boolean } {
  if (outcome === 'completed') return { ...client, completedCount: client.completedCount + 1, blockedNow: false };
  const noShowCount = client.noShowCount + 1;
  const isBlocked = client.isBlocked || noShowCount >= policy.noShowBlockThreshold;
  return { ...client, noShowCount, isBlocked, blockedNow: isBlocked && !client.isBlocked };
}
