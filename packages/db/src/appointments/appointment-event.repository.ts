import type { AppointmentEvent } from '@appointments/domain';
import { datetime, toInstant, toInstantOrNull, type Runner } from '../runner/index.ts';
import { APPEND_EVENT, EVENTS_OF, type AppointmentEventRow } from '../sql/appointment-events.ts';

export type NewAppointmentEvent = Omit<AppointmentEvent, 'id'>;

function toAppointmentEvent(row: AppointmentEventRow): AppointmentEvent {
  return {
    id: row.id,
    appointmentId: row.appointment_id,
    actorId: row.actor_id,
    actorApiKeyId: row.actor_api_key_id,
    at: toInstant(row.at),
    action: row.action,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    fromStart: toInstantOrNull(row.from_start),
    fromEnd: toInstantOrNull(row.from_end),
    toStart: toInstantOrNull(row.to_start),
    toEnd: toInstantOrNull(row.to_end),
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
      event.actorApiKeyId,
      new Date(event.at),
      event.action,
      event.fromStatus,
      event.toStatus,
      datetime(event.fromStart),
      datetime(event.fromEnd),
      datetime(event.toStart),
      datetime(event.toEnd),
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
