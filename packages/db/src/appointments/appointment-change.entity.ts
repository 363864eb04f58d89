import { defineEntity, p } from '@mikro-orm/core';
import { APPOINTMENT_CHANGE_KINDS } from '@appointments/domain';
import { AppointmentSchema } from './appointment.entity.ts';

/**
 * The transactional outbox of changes: one row per change to an appointment, written with it
 * (booking, reschedule, cancel, notes, marking). The worker turns each into its emails (and
 * reminders) in a transaction of its own and sets `processed_at`. Not the history
 * (`appointment_events`): that one is append-only and for people; this one is work for the worker.
 */
const AppointmentChangeSchema = defineEntity({
  name: 'AppointmentChange',
  tableName: 'appointment_changes',
  properties: {
    id: p.integer().primary().autoincrement(),
    // No single-column FK index: the unique index below leads with appointment_id.
    appointment: () => p.manyToOne(AppointmentSchema).index(false),
    /** The appointment's version after the change. */
    sequence: p.integer(),
    kind: p.enum(APPOINTMENT_CHANGE_KINDS),
    /** The appointment's start at that version: its reminders are planned from it. */
    startAt: p.datetime(),
    /** What the change's emails say beyond the appointment (the change without its kind), frozen when it happened. */
    details: p.json<Record<string, unknown>>(),
    /**
     * What else of the appointment the change left (staff, end, status, notes: ChangedFields), so
     * its webhook shows it as of this version however late it is sent. Null on older changes.
     */
    state: p.json<Record<string, unknown>>().nullable(),
    at: p.datetime(),
    /** Null: still to be turned into emails. */
    processedAt: p.datetime().nullable(),
  },
  uniques: [
    // One change per version: the worker keys the emails of a change by appointment, version, kind and person.
    { name: 'appointment_changes_once', properties: ['appointment', 'sequence'] },
  ],
  indexes: [
    // The worker's claim: processed_at is null, oldest first.
    { properties: ['processedAt', 'id'] },
  ],
});

export class AppointmentChangeEntity extends AppointmentChangeSchema.class {}
AppointmentChangeSchema.setClass(AppointmentChangeEntity);
export { AppointmentChangeSchema };
