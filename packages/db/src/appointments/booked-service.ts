import type { BookedService, Service } from '@appointments/domain';
import type { Runner } from '../runner/index.ts';
import { BOOKED_ON_DAYS, BOOKED_SERVICE, BOOKED_SERVICE_WITH_DAYS } from '../sql/booking-service.ts';

/** What booking a service is judged by: its duration, seats and buffers, whether it is active, and who offers it. */
export type ServiceForBooking = BookedService &
  Pick<Service, 'isActive' | 'staffIds'> & {
    /** When read with dates: scheduled appointments of each who offers it, by `${staffId} ${localDate}` (absent: none). */
    readonly booked?: ReadonlyMap<string, number>;
  };

/** The key of a staff member's local date in ServiceForBooking.booked. */
export const bookedDayKey = (staffId: number, localDate: string) => `${staffId} ${localDate}`;

/**
 * The service `id` as booking needs it, or null when there is none; with `days` (first and last
 * local date), each offering staff member's scheduled appointments on those dates too.
 */
export async function readBookedService(sql: Runner, id: number, days?: readonly [from: string, to: string]): Promise<ServiceForBooking | null> {
  const [row] = (days ? await sql.run(BOOKED_SERVICE_WITH_DAYS, [...days, id]) : await sql.run(BOOKED_SERVICE, [id])).rows;
  if (!row) return null;
  const staffIds = typeof row.staff_ids === 'string' ? (JSON.parse(row.staff_ids) as number[]) : (row.staff_ids ?? []);
  const booked = typeof row.booked === 'string' ? (JSON.parse(row.booked) as [number, string, number][]) : (row.booked ?? []);
  return {
    ...(days && { booked: new Map(booked.map(([staffId, date, n]) => [bookedDayKey(staffId, date), Number(n)])) }),
    id: row.id,
    durationMinutes: row.duration_minutes,
    capacity: row.capacity,
    bufferBeforeMinutes: row.buffer_before_minutes,
    bufferAfterMinutes: row.buffer_after_minutes,
    isActive: Boolean(row.is_active),
    staffIds,
  };
}

/** Each staff member's scheduled appointments on the local date paired with them, in one read. */
export async function readBookedOnDays(sql: Runner, days: readonly { readonly staffId: number; readonly localDate: string }[]): Promise<Map<number, number>> {
  if (days.length === 0) return new Map();
  const { rows } = await sql.run(BOOKED_ON_DAYS, [days.map((day) => day.staffId), days.map((day) => day.localDate)]);
  return new Map(rows.map((row) => [Number(row.staff_id), Number(row.booked)]));
}
