import type { BookedService, Service } from '@appointments/domain';
import type { Runner } from '../runner/index.ts';
import { BOOKED_ON_DAYS, BOOKED_SERVICE } from '../sql/booking-service.ts';

/** What booking a service is judged by: its duration, seats and buffers, whether it is active, and who offers it. */
export type ServiceForBooking = BookedService & Pick<Service, 'isActive' | 'staffIds'>;

/** The service `id` as booking needs it, or null when there is none. */
export async function readBookedService(sql: Runner, id: number): Promise<ServiceForBooking | null> {
  const [row] = (await sql.run(BOOKED_SERVICE, [id])).rows;
  if (!row) return null;
  const staffIds = typeof row.staff_ids === 'string' ? (JSON.parse(row.staff_ids) as number[]) : (row.staff_ids ?? []);
  return {
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
