import { bookedDayKey, type Repositories } from '@appointments/db';
import { assignmentOrder } from '@appointments/domain';

/** A candidate placed on the day it would be booked: its own local date of the start. */
export interface Placed {
  readonly staffId: number;
  readonly localDate: string;
}

/**
 * `placed` in the booking's fairness order (assignmentOrder: fewest scheduled appointments on
 * their own local date, then the lowest id). The day counts are read in one query, unless they
 * came already with the service (ServiceForBooking.booked).
 */
export async function fairestFirst<P extends Placed>(repos: Repositories, placed: readonly P[], counted?: ReadonlyMap<string, number>): Promise<P[]> {
  const byDay = counted ? null : await repos.appointments.bookedOnDays(placed);
  const booked = ({ staffId, localDate }: Placed) => (counted ? counted.get(bookedDayKey(staffId, localDate)) : byDay!.get(staffId)) ?? 0;
  const byStaff = new Map(placed.map((p) => [p.staffId, p]));
  return assignmentOrder(placed.map((p) => ({ staffId: p.staffId, booked: booked(p) }))).map((staffId) => byStaff.get(staffId)!);
}
