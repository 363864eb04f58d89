import type { AppointmentChanges } from '@appointments/db';
import { checkBookable, clientOverlapWaiver, staffSchedule, type Appointment, type User } from '@appointments/domain';
import type { BookingDeps } from './book.ts';

/** Where to move an appointment: wall-clock or offset times as sent (read in the staff member's zone). */
export interface MoveRequest {
  readonly start: string;
  readonly end: string;
  readonly allowClientOverlap: boolean | undefined;
}

/**
 * Judges moving `current` by the same rules as a booking, on a fresh read of the staff member's
 * setup: what to write, and the setup version it was judged on, which the write must still find
 * (a reschedule is not decided on kept knowledge; the change that writes it judges again when that
 * version has moved).
 */
export async function judgeMove(deps: Omit<BookingDeps, 'db'>, actor: User, current: Appointment, request: MoveRequest): Promise<{ changes: AppointmentChanges; setupVersion: number }> {
  const { repos, settings } = deps;
  const clientOverlapAllowed = clientOverlapWaiver(actor, request.allowClientOverlap);
  const setup = await repos.appointments.bookingSetup(current.staffId);
  const { staff, schedule } = staffSchedule(setup, settings.bookingDefaults, current.staffId, actor);
  const client = await repos.users.findById(current.clientId);
  const interval = checkBookable({
    staff,
    schedule,
    start: request.start,
    end: request.end,
    clientBlocked: client?.isBlocked ?? false,
    now: deps.now.getTime(),
    minMinutes: settings.minAppointmentMinutes,
  });
  return { changes: { ...interval, clientOverlapAllowed }, setupVersion: setup.setupVersion };
}
