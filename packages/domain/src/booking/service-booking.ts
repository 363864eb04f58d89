import { DomainError, type ErrorCode } from '../errors.ts';
import type { Instant } from '../scheduling/types.ts';
import type { Service } from '../services/service.ts';
import { addDays, isValidDate, MINUTE_MS } from '../time/calendar.ts';
import { localDate, parseRequestDateTime } from '../time/convert.ts';
import type { ActorRef } from '../auth/actor.ts';

/** What of a service booking one of its appointments is judged by. */
export type BookedService = Pick<Service, 'id' | 'durationMinutes' | 'capacity' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'>;

/**
 * The end of an appointment starting at `start`: a service's lasts its duration, so an end may be
 * left out, and one given must agree (APPOINTMENT.DURATION_MISMATCH); without a service the end is
 * required.
 */
export function appointmentEnd(service: BookedService | null, start: Instant, end: Instant | undefined): Instant {
  if (!service) {
    if (end === undefined) throw new DomainError('VALIDATION.FAILED', 'The end time is required unless the appointment is for a service');
    return end;
  }
  const expected = start + service.durationMinutes * MINUTE_MS;
  if (end !== undefined && end !== expected) {
    throw new DomainError('APPOINTMENT.DURATION_MISMATCH', `The service lasts ${service.durationMinutes} minutes: the end must be the start plus that, or left out`, {
      duration_minutes: service.durationMinutes,
    });
  }
  return expected;
}

/** Throws SERVICE.NOT_OFFERED unless `staffId` offers the service. */
export function assertOffers(service: Pick<Service, 'id' | 'staffIds'>, staffId: number): void {
  if (!service.staffIds.includes(staffId)) throw new DomainError('SERVICE.NOT_OFFERED', `Staff member ${staffId} does not offer service ${service.id}`);
}

/**
 * Who may move an appointment to another staff member: its client and admins; a staff member only
 * to themselves (they do not hand their own bookings to colleagues, nor take others' for them).
 */
export function assertMayMoveTo(actor: ActorRef, staffId: number): void {
  if (actor.role === 'staff' && actor.id !== staffId) throw new DomainError('AUTH.FORBIDDEN', 'A staff member can only move an appointment to themselves');
}

/** A staff member who offers the service and can take the time, with their scheduled appointments that local day. */
export interface Candidate {
  readonly staffId: number;
  readonly booked: number;
}

/**
 * The order in which to offer a booking to the candidates: fewest appointments that day first, so
 * work spreads evenly, then the lowest id, so the order is total and every process agrees on it.
 */
export function assignmentOrder(candidates: readonly Candidate[]): number[] {
  return [...candidates].sort((a, b) => a.booked - b.booked || a.staffId - b.staffId).map((candidate) => candidate.staffId);
}

/**
 * Refusals that concern one candidate, not the request: with another staff member the booking may
 * still succeed (their hours, notice, horizon and zone; the database's overlap, seat and day guards).
 */
const CANDIDATE_REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'STAFF.NOT_FOUND',
  'STAFF.NOT_STAFF',
  'TIME.NONEXISTENT_LOCAL_TIME',
  'APPOINTMENT.OUTSIDE_AVAILABILITY',
  'APPOINTMENT.TOO_SOON',
  'APPOINTMENT.BEYOND_HORIZON',
  'APPOINTMENT.SLOT_TAKEN',
  'APPOINTMENT.FULLY_BOOKED',
  'APPOINTMENT.DAILY_LIMIT_REACHED',
]);

export function isCandidateRefusal(error: unknown): error is DomainError {
  return error instanceof DomainError && CANDIDATE_REFUSALS.has(error.code);
}

/**
 * The answer when every candidate refused: their one refusal if they all refused alike (the only
 * candidate's, say: what the client would have heard naming them), else SLOT_TAKEN (nobody who
 * offers the service can take this time); SERVICE.NOT_OFFERED when nobody offers it at all.
 */
export function noCandidateLeft(serviceId: number, refusals: readonly DomainError[]): DomainError {
  const [first] = refusals;
  if (!first) return new DomainError('SERVICE.NOT_OFFERED', `Nobody offers service ${serviceId}`);
  if (refusals.every((refusal) => refusal.code === first.code)) return first;
  return new DomainError('APPOINTMENT.SLOT_TAKEN', 'Nobody who offers this service can take this time');
}

/**
 * The local dates a requested start (as sent: wall-clock, or with an offset) can fall on in any
 * staff member's zone: its written date, two days either way (offsets differ by at most 28
 * hours). Undefined when it has no date to read, which the booking rules refuse anyway.
 */
export function possibleLocalDates(start: string): [from: string, to: string] | undefined {
  const date = start.slice(0, 10);
  return isValidDate(date) ? [addDays(date, -2), addDays(date, 2)] : undefined;
}

/** The staff member's local date of a requested start (as sent), or null when it names no instant there. */
export function requestLocalDate(start: string, zone: string): string | null {
  try {
    return localDate(parseRequestDateTime(start, zone), zone);
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}
