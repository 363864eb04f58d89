import { defineEntity, p, type TriggerDef } from '@mikro-orm/core';
import type { EngineGuards } from '../engine-guards.ts';

/**
 * Counters per staff member, bumped by row triggers in the writing transaction, so no write path (nor a
 * hand-run SQL fix) can forget them; only a TRUNCATE, which fires no row triggers, would. `version` moves whenever anything their slots are computed
 * from changes: appointments, availability, booking settings, their own row (zone, role, active);
 * caches of computed slots compare it with the one they were built from. `setupVersion` moves with
 * all of those but appointments: what a booking is checked against, so bookings can use a cached
 * setup and have the write refuse itself if it moved (booking.ts). No foreign key: a deleted
 * user's counters are harmless, and the triggers must never fail a write.
 */
const ScheduleVersionSchema = defineEntity({
  name: 'ScheduleVersion',
  tableName: 'schedule_versions',
  properties: {
    staffId: p.integer().primary().autoincrement(false),
    version: p.integer(),
    setupVersion: p.integer().default(0),
  },
});

export class ScheduleVersionEntity extends ScheduleVersionSchema.class {}
ScheduleVersionSchema.setClass(ScheduleVersionEntity);
export { ScheduleVersionSchema };

/** What a write to a table moves: the schedule only (appointments), or the setup as well. */
type Bumps = 'schedule' | 'setup';

/** The upsert's columns, first values and conflict action; `table` qualifies the old values (PostgreSQL needs it). */
function upsert(bumps: Bumps, table = '') {
  const setup = bumps === 'setup';
  return {
    columns: 'staff_id, version, setup_version',
    first: setup ? '1, 1' : '1, 0',
    onConflict: `on conflict (staff_id) do update set version = ${table}version + 1${setup ? `, setup_version = ${table}setup_version + 1` : ''}`,
  };
}

/** SQLite: one trigger per event (its triggers take one each). `where true` keeps the upsert's ON unambiguous after a SELECT. */
function sqliteBumps(table: string, column: string, bumps: Bumps): TriggerDef[] {
  const { columns, first, onConflict } = upsert(bumps);
  const bump = (name: string, events: TriggerDef['events'], source: string): TriggerDef => ({
    name: `${table}_${name}_bumps_schedule`,
    timing: 'after',
    events,
    body: `insert into schedule_versions (${columns}) ${source} ${onConflict}`,
  });
  return [
    bump('insert', ['insert'], `values (NEW.${column}, ${first})`),
    bump('update', ['update'], `select staff_id, ${first} from (select NEW.${column} as staff_id union select OLD.${column}) where true`),
    bump('delete', ['delete'], `values (OLD.${column}, ${first})`),
  ];
}

/**
 * PostgreSQL: one row trigger for all three events; OLD is null on insert and NEW on delete.
 * Appointments bump *before* the row is written: the version row's lock then orders two bookings
 * of one staff member before either enters the exclusion check, where two overlapping inserts
 * would otherwise each wait for the other and one be aborted as a deadlock after a second.
 */
function pgBumps(column: string, bumps: Bumps): TriggerDef[] {
  const { columns, first, onConflict } = upsert(bumps, 'schedule_versions.');
  const before = bumps === 'schedule';
  return [
    {
      name: 'bumps_schedule',
      timing: before ? 'before' : 'after',
      events: ['insert', 'update', 'delete'],
      body:
        `insert into schedule_versions (${columns}) select distinct s, ${first} from unnest(array[OLD.${column}, NEW.${column}]) as s` +
        ` where s is not null ${onConflict}; ${before ? "if TG_OP = 'DELETE' then return OLD; end if; return NEW;" : 'return null;'}`,
    },
  ];
}

/** The triggers of one table whose rows feed a staff member's slots (and, unless appointments, their setup), found by `column`. */
export function scheduleVersionBumps(table: string, column: string, bumps: Bumps = 'setup'): EngineGuards {
  return {
    sqlite: { checks: [], triggers: sqliteBumps(table, column, bumps) },
    postgresql: { checks: [], triggers: pgBumps(column, bumps) },
  };
}
