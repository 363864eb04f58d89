import { defineEntity, p } from '@mikro-orm/core';
import { APPOINTMENT_CHANGE_KINDS, APPOINTMENT_STATUSES } from '@appointments/domain';
import { ApiKeySchema } from '../api-keys/api-key.entity.ts';
import { UserSchema } from '../users/user.entity.ts';
import { AppointmentSchema } from './appointment.entity.ts';
import type { EngineGuards } from '../engine-guards.ts';

/** What happened to an appointment; one history entry per change, its action the change's kind. */
const AppointmentEventSchema = defineEntity({
  name: 'AppointmentEvent',
  tableName: 'appointment_events',
  properties: {
    id: p.integer().primary().autoincrement(),
    // Not cascading: appointments are never deleted, and their history must not vanish with them.
    // No single-column index: (appointment_id, id) below serves both the FK and listFor.
    appointment: () => p.manyToOne(AppointmentSchema).index(false),
    // Null: the system acted. Not `set null` (MikroORM's default for a nullable FK): that would
    // rewrite history and credit the system. Users are never deleted, so no index for the FK check.
    actor: () => p.manyToOne(UserSchema).nullable().deleteRule('no action').index(false),
    // Set when an API key acted (actor then null). Keys are revoked, never deleted: no index either.
    actorApiKey: () => p.manyToOne(ApiKeySchema).nullable().deleteRule('no action').index(false),
    at: p.datetime(),
    action: p.enum(APPOINTMENT_CHANGE_KINDS),
    fromStatus: p.enum(APPOINTMENT_STATUSES).nullable(),
    toStatus: p.enum(APPOINTMENT_STATUSES).nullable(),
    fromStart: p.datetime().nullable(),
    fromEnd: p.datetime().nullable(),
    toStart: p.datetime().nullable(),
    toEnd: p.datetime().nullable(),
    reason: p.text().nullable(),
    // An admin acted where the policy would have refused the actor (e.g. inside the cancellation window).
    policyOverride: p.boolean().default(false),
  },
  indexes: [{ properties: ['appointment', 'id'] }],
});

export class AppointmentEventEntity extends AppointmentEventSchema.class {}
AppointmentEventSchema.setClass(AppointmentEventEntity);
export { AppointmentEventSchema };

/**
 * The message both engines refuse a change to history with. Never with "end" in it (so not
 * "append-only"): MikroORM reads a SQLite trigger body back only up to the first "end".
 */
export const HISTORY_IMMUTABLE_MESSAGE = 'APPOINTMENT_HISTORY_IMMUTABLE';

/**
 * History is append-only in the database too, not only by the repository having no update or
 * delete: a stray query or a hand-run fix cannot rewrite it. Declared as metadata, like the
 * appointment overlap guards, so the schema diff checks the triggers exist. SQLite gets one
 * trigger per event (`…_update`, `…_delete`); PostgreSQL one trigger and its function. (TRUNCATE
 * fires no row triggers; its PostgreSQL guard is in the migration only, as MikroORM cannot read
 * TRUNCATE triggers back: information_schema does not list them.)
 */
export const appointmentEventGuards: EngineGuards = {
  sqlite: {
    checks: [],
    // Trigger names are per database in SQLite, per table in PostgreSQL (whose trigger function is named `<table>_<trigger>_fn`).
    triggers: [{ name: 'appointment_events_append_only', timing: 'before', events: ['update', 'delete'], body: `select raise(abort, '${HISTORY_IMMUTABLE_MESSAGE}')` }],
  },
  postgresql: {
    checks: [],
    triggers: [{ name: 'append_only', timing: 'before', events: ['update', 'delete'], body: `raise exception '${HISTORY_IMMUTABLE_MESSAGE}'` }],
  },
};
