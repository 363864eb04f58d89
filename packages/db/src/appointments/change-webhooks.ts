import { appointmentAsChanged, appointmentEventType, subscribersOf, type ChangedFields } from '@appointments/domain';
import { read, toInstant, type Program } from '../runner/index.ts';
import type { ClaimedChangeRow } from '../sql/appointment-changes.ts';
import { APPOINTMENTS_BY_IDS } from '../sql/appointments.ts';
import { USERS_BY_IDS } from '../sql/users.ts';
import { record, subscriptions } from '../webhooks/fan-out.ts';
import { toAppointment } from './appointment.repository.ts';

/**
 * The webhook events of a batch of changes, in the batch's transaction: a change that fires an
 * event subscribed to becomes one event, its body the appointment as that change left it (its
 * recorded state; the appointment's row for what never changes), and one delivery per endpoint.
 * With no endpoint subscribed it reads one small table and writes nothing.
 */
export function* fanOutChanges(rows: readonly ClaimedChangeRow[], now: Date): Program<void> {
  if (!rows.some((row) => appointmentEventType(row.kind))) return;
  const subscribed = yield* subscriptions();
  const fanned = rows.flatMap((row) => {
    const type = appointmentEventType(row.kind);
    const at = toInstant(row.at);
    const to = type ? subscribersOf(subscribed, type, at) : [];
    return type && to.length > 0 ? [{ row, type, at, to, source: `change:${row.id}` }] : [];
  });
  if (fanned.length === 0) return;
  const appointments = new Map((yield* read([APPOINTMENTS_BY_IDS, [[...new Set(fanned.map((f) => f.row.appointment_id))]]])).map((row) => [row.id, toAppointment(row)]));
  const states = new Map(fanned.map((f) => [f.row.id, typeof f.row.state === 'string' ? (JSON.parse(f.row.state) as ChangedFields) : f.row.state]));
  // A change may have left the appointment with a staff member it has since left: name them as of the change.
  const staffIds = [...new Set([...states.values()].flatMap((state) => (state ? [state.staffId] : [])))];
  const names = new Map((staffIds.length === 0 ? [] : yield* read([USERS_BY_IDS, [staffIds]])).map((row) => [row.id, row.full_name]));
  yield* record(
    fanned.flatMap((f) => {
      // Appointments are never deleted; the claim joined this one.
      const current = appointments.get(f.row.appointment_id);
      if (!current) return [];
      const change = { sequence: f.row.sequence, start: toInstant(f.row.start_at), at: f.at, state: states.get(f.row.id) ?? null };
      return [{ ...f, data: { appointment: appointmentAsChanged(current, change, (id) => names.get(id)) } }];
    }),
    now,
  );
}
