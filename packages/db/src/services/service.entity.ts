import { defineEntity, p } from '@mikro-orm/core';
import type { EngineGuards } from '../engine-guards.ts';
import { UserSchema } from '../users/user.entity.ts';

/** A bookable offering. Never deleted: deactivating keeps it for the appointments that name it. */
const ServiceSchema = defineEntity({
  name: 'Service',
  tableName: 'services',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(200),
    description: p.text().nullable(),
    durationMinutes: p.integer(),
    location: p.string().length(500).nullable(),
    priceCents: p.integer(),
    currency: p.string().length(3),
    // null: the staff member's own buffer applies.
    bufferBeforeMinutes: p.integer().nullable(),
    bufferAfterMinutes: p.integer().nullable(),
    capacity: p.integer().default(1),
    // Minutes before the start, one reminder each; null: the deployment's REMINDER_LEAD_MINUTES.
    reminderLeadMinutes: p.json<readonly number[]>().nullable(),
    isActive: p.boolean().default(true),
    // Bumped by triggers on every change to the service or to who offers it (serviceVersionBumps):
    // caches of its slots compare it, with its staff members' schedule versions.
    version: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class ServiceEntity extends ServiceSchema.class {}
ServiceSchema.setClass(ServiceEntity);

/** Who offers a service: one row per (service, staff member). */
const ServiceStaffSchema = defineEntity({
  name: 'ServiceStaff',
  tableName: 'service_staff',
  properties: {
    service: () => p.manyToOne(ServiceSchema).primary().deleteRule('cascade'),
    // Staff → their services is the lookup booking by staff will need.
    staff: () => p.manyToOne(UserSchema).primary().deleteRule('cascade').index(),
  },
});

export class ServiceStaffEntity extends ServiceStaffSchema.class {}

const bumpService = (id: string) => `update services set version = version + 1 where id = ${id}`;

/**
 * The triggers moving `services.version`, in the writing transaction, whatever writes: any update of
 * the service's row, any staff member added to or removed from it. On SQLite the row's own trigger
 * skips the update its bump makes (the version moved); PostgreSQL sets it before the row is written.
 */
export const serviceVersionBumps: { readonly services: EngineGuards; readonly serviceStaff: EngineGuards } = {
  services: {
    sqlite: { checks: [], triggers: [{ name: 'services_update_bumps_version', timing: 'after', events: ['update'], when: 'OLD.version = NEW.version', body: `${bumpService('NEW.id')};` }] },
    postgresql: { checks: [], triggers: [{ name: 'bumps_version', timing: 'before', events: ['update'], body: 'NEW.version = OLD.version + 1; return NEW;' }] },
  },
  serviceStaff: {
    sqlite: {
      checks: [],
      triggers: [
        { name: 'service_staff_insert_bumps_version', timing: 'after', events: ['insert'], body: `${bumpService('NEW.service_id')};` },
        { name: 'service_staff_delete_bumps_version', timing: 'after', events: ['delete'], body: `${bumpService('OLD.service_id')};` },
      ],
    },
    postgresql: {
      checks: [],
      triggers: [{ name: 'bumps_service_version', timing: 'after', events: ['insert', 'delete'], body: `${bumpService('coalesce(NEW.service_id, OLD.service_id)')}; return null;` }],
    },
  },
};
ServiceStaffSchema.setClass(ServiceStaffEntity);
export { ServiceSchema, ServiceStaffSchema };
