import type { AppointmentChangeKind, AppointmentStatus } from '@appointments/domain';
import { toDate, toDateOrNull, type Runner } from '../runner/index.ts';
import { APPEND_EVENT, EVENTS_OF, type AppointmentEventRow } from '../sql/appointment-events.ts';

/** One entry of an appointment's history. Null fields were not touched by the change; a null actor is the system. */
export interface AppointmentEvent {
  readonly id: number;
  readonly appointmentId: number;
  readonly actorId: number | null;
  readonly at: Date;
  readonly action: AppointmentChangeKind;
  readonly fromStatus: AppointmentStatus | null;
  readonly toStatus: AppointmentStatus | null;
  readonly fromStart: Date | null;
  readonly fromEnd: Date | null;
  readonly toStart: Date | null;
  readonly toEnd: Date | null;
  readonly reason: string | null;
  readonly policyOverride: boolean;
}

export type NewAppointmentEvent = Omit<AppointmentEvent, 'id'>;

function toAppointmentEvent(row: AppointmentEventRow): AppointmentEvent {
  return {
    id: row.id,
    appointmentId: row.appointment_id,
    actorId: row.actor_id,
    at: toDate(row.at),
    action: row.action,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    fromStart: toDateOrNull(row.from_start),
    fromEnd: toDateOrNull(row.from_end),
    toStart: toDateOrNull(row.to_start),
    toEnd: toDateOrNull(row.to_end),
    reason: row.reason,
    policyOverride: Boolean(row.policy_override),
  };
}

/** Appointment history: append and read, nothing else (the database refuses updates and deletes too). */
export class AppointmentEventRepository {
  readonly #sql: Runner;
  /** @internal Built by Database only. */
  constructor(sql: Runner) {
    this.#sql = sql;
  }

  async append(event: NewAppointmentEvent): Promise<AppointmentEvent> {
    const { rows } = await this.#sql.run(APPEND_EVENT, [
      event.appointmentId,
      event.actorId,
      event.at,
      event.action,
      event.fromStatus,
      event.toStatus,
      event.fromStart,
      event.fromEnd,
      event.toStart,
      event.toEnd,
      event.reason,
      event.policyOverride,
    ]);
    return { ...event, id: rows[0]!.id };
  }

  /** Oldest first. By id, the order entries were appended in: `at` comes from callers' clocks. */
  async listFor(appointmentId: number): Promise<AppointmentEvent[]> {
    return (await this.#sql.run(EVENTS_OF, [appointmentId])).rows.map(toAppointmentEvent);
  }
}
