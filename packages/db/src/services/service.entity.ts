import { defineEntity, p } from '@mikro-orm/core';
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
    isActive: p.boolean().default(true),
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
ServiceStaffSchema.setClass(ServiceStaffEntity);
export { ServiceSchema, ServiceStaffSchema };
