import { defineEntity, p } from '@mikro-orm/core';
import { ApiKeySchema } from '../api-keys/api-key.entity.ts';
import { UserSchema } from './user.entity.ts';

/** What happened to a user's account that is not an appointment's doing alone; also the outbox of client webhook events. */
export const USER_EVENT_ACTIONS = ['blocked', 'unblocked'] as const;
export type UserEventAction = (typeof USER_EVENT_ACTIONS)[number];

const UserEventSchema = defineEntity({
  name: 'UserEvent',
  tableName: 'user_events',
  properties: {
    id: p.integer().primary().autoincrement(),
    // No single-column index: (user_id, id) below serves both the FK and listFor.
    user: () => p.manyToOne(UserSchema).deleteRule('cascade').index(false),
    // Null: the system acted (e.g. blocked after too many no-shows). Not `set null`, MikroORM's
    // default for a nullable FK: that would credit the system. Users are never deleted: no index.
    actor: () => p.manyToOne(UserSchema).nullable().deleteRule('no action').index(false),
    // Set when an API key acted (actor then null). Keys are revoked, never deleted: no index either.
    actorApiKey: () => p.manyToOne(ApiKeySchema).nullable().deleteRule('no action').index(false),
    at: p.datetime(),
    action: p.enum(USER_EVENT_ACTIONS),
    reason: p.text().nullable(),
    /** Null: its webhook event is still to be fanned out (the worker sets it; an outbox row, like appointment_changes). */
    processedAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['user', 'id'] }, { properties: ['processedAt', 'id'] }],
});

export class UserEventEntity extends UserEventSchema.class {}
UserEventSchema.setClass(UserEventEntity);
export { UserEventSchema };
