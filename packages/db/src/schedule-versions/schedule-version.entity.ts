import { defineEntity, p, type TriggerDef } from '@mikro-orm/core';
import type { EngineGuards } from '../appointments/appointment.entity.ts';

/**
 * A counter per staff member that moves whenever anything their slots are computed from changes:
 * appointments, availability, booking settings, their own row (zone, role, active). Bumped by
 * triggers, in the writing transaction, so no write path (nor a hand-run SQL fix) can forget it;
 * caches of computed slots compare it with the one they were built from. No foreign key: a deleted user's counter is
 * harmless, and the triggers must never fail a write.
 */
const ScheduleVersionSchema = defineEntity({
  name: 'ScheduleVersion',
  tableName: 'schedule_versions',
  properties: {
    staffId: p.integer().primary().autoincrement(false),
    version: p.integer(),
  },
});

export class ScheduleVersionEntity extends ScheduleVersionSchema.class {}
ScheduleVersionSchema.setClass(ScheduleVersionEntity);
export { ScheduleVersionSchema };

const SQLITE_BUMP = 'on conflict (staff_id) do update set version = version + 1';
const PG_BUMP = 'on conflict (staff_id) do update set version = schedule_versions.version + 1';

/** SQLite: one trigger per event (its triggers take one each). `where true` keeps the upsert's ON unambiguous after a SELECT. */
function sqliteBumps(table: string, column: string): TriggerDef[] {
  const bump = (name: string, events: TriggerDef['events'], source: string): TriggerDef => ({
    name: `${table}_${name}_bumps_schedule`,
    timing: 'after',
    events,
    body: `insert into schedule_versions (staff_id, version) ${source} ${SQLITE_BUMP}`,
  });
  return [
    bump('insert', ['insert'], `values (NEW.${column}, 1)`),
    bump('update', ['update'], `select staff_id, 1 from (select NEW.${column} as staff_id union select OLD.${column}) where true`),
    bump('delete', ['delete'], `values (OLD.${column}, 1)`),
  ];
}

/** PostgreSQL: one row trigger for all three events; OLD is null on insert and NEW on delete. */
function pgBumps(column: string): TriggerDef[] {
  return [
    {
      name: 'bumps_schedule',
      timing: 'after',
      events: ['insert', 'update', 'delete'],
      body:
        `insert into schedule_versions (staff_id, version) select distinct s, 1 from unnest(array[OLD.${column}, NEW.${column}]) as s` +
        ` where s is not null ${PG_BUMP}; return null;`,
    },
  ];
}

/** The triggers of one table whose rows feed a staff member's slots, found by `column`. */
export function scheduleVersionBumps(table: string, column: string): EngineGuards {
  return {
    sqlite: { checks: [], triggers: sqliteBumps(table, column) },
    postgresql: { checks: [], triggers: pgBumps(column) },
  };
}
