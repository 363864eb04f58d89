import type { AppointmentChanges, BookingSetup, ServiceForBooking } from '@appointments/db';
import {
  assertMayMoveTo,
  assertOffers,
  checkBookable,
  clientOverlapWaiver,
  DomainError,
  isCandidateRefusal,
  staffSchedule,
  type Actor,
  type Appointment,
  type User,
} from '@appointments/domain';
import type { BookingDeps } from './deps.ts';
import { fairestFirst } from './fairness.ts';

/** Where to move an appointment: wall-clock or offset times as sent (read in the staff member's zone). */
export interface MoveRequest {
  readonly start: string;
  /** May be left out for an appointment of a service: it lasts the service's duration. */
  readonly end: string | undefined;
  /** Another staff member who offers the appointment's service; left out, it stays with its own. */
  readonly staffId: number | undefined;
  readonly allowClientOverlap: boolean | undefined;
}

/** A move as judged: what to write, and the setup version of the staff member it was judged by (the write must still find it). */
export interface JudgedMove {
  readonly staffId: number;
  /** The staff member's local date of the new start. */
  readonly localDate: string;
  readonly changes: AppointmentChanges;
  readonly setupVersion: number;
}

/** The judgements of a move: the staff member asked for first; for a service kept with its staff member, the others who offer it if they refuse. */
export interface MovePlan {
  readonly first: () => Promise<JudgedMove>;
  readonly others?: () => Promise<JudgedMove[]>;
}

type MoveDeps = Omit<BookingDeps, 'db'>;

/**
 * Judges moving `current` by the same rules as a booking, on fresh reads of the staff members'
 * setups (a reschedule is not decided on kept knowledge; the change that writes it judges again
 * when a setup version has moved). It keeps its service: the duration fixes the end, the buffers
 * and the occurrence follow it. Moving to another staff member (`staffId`) needs one who offers
 * the service, and an actor who may (assertMayMoveTo); without one, an appointment of a service
 * that its own staff member cannot take at the new time goes to whoever offers it and can, by the
 * booking's fairness order.
 */
export async function planMove(deps: MoveDeps, actor: Actor, current: Appointment, request: MoveRequest): Promise<MovePlan> {
  const { repos, settings } = deps;
  const clientOverlapAllowed = clientOverlapWaiver(actor, request.allowClientOverlap);
  // A deactivated service still has its appointments, which keep its duration and buffers.
  const service = current.serviceId === null ? null : await repos.appointments.bookedService(current.serviceId);
  const target = request.staffId ?? current.staffId;
  if (target !== current.staffId) {
    assertMayMoveTo(actor, target);
    if (!service) throw new DomainError('SERVICE.NOT_OFFERED', 'Only an appointment of a service can move to another staff member who offers it');
    assertOffers(service, target);
  }
  let client: Promise<User | null> | undefined;
  const judge = async (staffId: number, setup: BookingSetup): Promise<JudgedMove> => {
    const { staff, schedule } = staffSchedule(setup, settings.bookingDefaults, staffId, actor);
    const clientBlocked = (await (client ??= repos.users.findById(current.clientId)))?.isBlocked ?? false;
    const interval = checkBookable({ staff, schedule, service, start: request.start, end: request.end, clientBlocked, now: deps.now.getTime(), minMinutes: settings.minAppointmentMinutes });
    const changes = { ...interval, clientOverlapAllowed, ...(staffId !== current.staffId && { staffId }) };
    return { staffId, localDate: interval.localDate, changes, setupVersion: setup.setupVersion };
  };
  const first = async () => judge(target, await repos.appointments.bookingSetup(target));
  if (!service || request.staffId !== undefined) return { first };
  return { first, others: () => otherCandidates(deps, service, current.staffId, judge) };
}

/** The others who offer the service, judged and in the booking's fairness order; those the rules refuse are left out. */
async function otherCandidates(deps: MoveDeps, service: ServiceForBooking, own: number, judge: (staffId: number, setup: BookingSetup) => Promise<JudgedMove>): Promise<JudgedMove[]> {
  const ids = service.staffIds.filter((staffId) => staffId !== own);
  if (ids.length === 0) return [];
  const judged: JudgedMove[] = [];
  for (const [staffId, setup] of await deps.repos.appointments.bookingSetups(ids)) {
    try {
      judged.push(await judge(staffId, setup));
    } catch (error) {
      if (!isCandidateRefusal(error)) throw error;
    }
  }
  return fairestFirst(deps.repos, judged);
}
