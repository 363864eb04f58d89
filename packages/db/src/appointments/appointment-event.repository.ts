import type { EntityManager } from '@mikro-orm/core';
import type { AppointmentStatus } from '@appointments/domain';
import { execute, Statement } from '../raw-sql.ts';
import { AppointmentEventEntity, type AppointmentEventAction } from './appointment-event.entity.ts';

// Raw and prepared: every booking and change appends one, and the ORM's unit of work would only add cost.
export const EVENT_COLUMNS = 'appointment_id, actor_id, at, action, from_status, to_status, from_start, from_end, to_start, to_end, reason, policy_override';
const APPEND = new Statement<{ readonly id: number }>(`insert into appointment_events (${EVENT_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`);

/** One entry of an appointment's history. Null fields were not touched by the change; a null actor is the system. */
export interface AppointmentEvent {
  readonly id: number;
  readonly appointmentId: number;
  readonly actorId: number | null;
  readonly at: Date;
  readonly action: AppointmentEventAction;
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

function toAppointmentEvent(entity: AppointmentEventEntity): AppointmentEvent {
  return {
    id: entity.id,
    appointmentId: entity.appointment.id,
    actorId: entity.actor?.id ?? null,
    at: entity.at,
    action: entity.action,
    fromStatus: entity.fromStatus ?? null,
    toStatus: entity.toStatus ?? null,
    fromStart: entity.fromStart ?? null,
    fromEnd: entity.fromEnd ?? null,
    toStart: entity.toStart ?? null,
    toEnd: entity.toEnd ?? null,
    reason: entity.reason ?? null,
    policyOverride: entity.policyOverride,
  };
}

/** Appointment history: append and read, nothing else (the database refuses updates and deletes too). */
export class AppointmentEventRepository {
  readonly #em: EntityManager;
  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager) {
    this.#em = em;
  }

  async append(event: NewAppointmentEvent): Promise<AppointmentEvent> {
    const { rows } = await execute(this.#em, APPEND, [
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
    const entities = await this.#em.find(AppointmentEventEntity, { appointment: appointmentId }, { orderBy: { id: 'asc' } });
    return entities.map(toAppointmentEvent);
  }
}
