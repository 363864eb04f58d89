import type { AppointmentChangeKind, AppointmentStatus } from '@appointments/domain';
import { Statement } from './statement.ts';

export interface AppointmentEventRow {
  readonly id: number;
  readonly appointment_id: number;
  readonly actor_id: number | null;
  readonly actor_api_key_id: number | null;
  readonly at: unknown;
  readonly action: AppointmentChangeKind;
  readonly from_status: AppointmentStatus | null;
  readonly to_status: AppointmentStatus | null;
  readonly from_start: unknown;
  readonly from_end: unknown;
  readonly to_start: unknown;
  readonly to_end: unknown;
  readonly reason: string | null;
  /** 0/1 on SQLite. */
  readonly policy_override: boolean | number;
}

// Every booking and change appends one.
export const APPEND_EVENT = new Statement<{ readonly id: number }>(
  'insert into appointment_events (appointment_id, actor_id, actor_api_key_id, at, action, from_status, to_status, from_start, from_end, to_start, to_end, reason, policy_override)' +
    ' values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id',
);

/** An appointment's history, in the order it was appended (`at` comes from callers' clocks). */
export const EVENTS_OF = new Statement<AppointmentEventRow>(
  'select id, appointment_id, actor_id, actor_api_key_id, at, action, from_status, to_status, from_start, from_end, to_start, to_end, reason, policy_override' +
    ' from appointment_events where appointment_id = ? order by id',
);
