import { defineEntity, p } from '@mikro-orm/core';
import { NOTIFICATION_KINDS, NOTIFICATION_STATUSES, type NotificationDetails } from '@appointments/domain';
import { AppointmentSchema } from '../appointments/appointment.entity.ts';
import { UserSchema } from '../users/user.entity.ts';

/**
 * One row per email due to one person about one version (SEQUENCE) of an appointment. The worker
 * writes them from the change the API recorded with the appointment (appointment_changes), then
 * queues, sends and marks them. The row, not the queue, is the record of what was sent.
 */
const NotificationSchema = defineEntity({
  name: 'Notification',
  tableName: 'notifications',
  properties: {
    id: p.integer().primary().autoincrement(),
    // No single-column FK indexes: the unique index below leads with appointment_id, and users are never deleted.
    appointment: () => p.manyToOne(AppointmentSchema).index(false),
    recipient: () => p.manyToOne(UserSchema).index(false),
    kind: p.enum(NOTIFICATION_KINDS),
    sequence: p.integer(),
    status: p.enum(NOTIFICATION_STATUSES).default('pending'),
    dueAt: p.datetime(),
    // A reminder's lead time; 0 for the other kinds, as it is part of the unique key, where NULLs would never collide.
    leadMinutes: p.integer().default(0),
    details: p.json<NotificationDetails>(),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    queuedAt: p.datetime().nullable(),
    sentAt: p.datetime().nullable(),
    messageId: p.string().length(998).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  uniques: [
    // One email per person, kind, version (a version is one change) and lead time: a change processed again or a sweep cannot record it twice.
    { name: 'notifications_once', properties: ['appointment', 'kind', 'sequence', 'recipient', 'leadMinutes'] },
  ],
  indexes: [
    // The relay and the sweep: status = ? and due_at <= ?; the admin list by status.
    { properties: ['status', 'dueAt'] },
  ],
});

export class NotificationEntity extends NotificationSchema.class {}
NotificationSchema.setClass(NotificationEntity);
export { NotificationSchema };
