import { defineEntity, p } from '@mikro-orm/core';
import { UserSchema } from '../users/user.entity.ts';

/** The stored answer to a request sent with an Idempotency-Key, replayed when the key comes again. */
const IdempotencyKeySchema = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  primaryKeys: ['user', 'key'],
  properties: {
    // The primary key (user_id, key) already leads with user_id: no separate FK index.
    user: () => p.manyToOne(UserSchema).primary().deleteRule('cascade').index(false),
    key: p.string().length(255).primary(),
    requestHash: p.string().length(64),
    statusCode: p.integer(),
    // JSON text rather than json/jsonb: replayed byte-for-byte, never queried into.
    response: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class IdempotencyKeyEntity extends IdempotencyKeySchema.class {}
IdempotencyKeySchema.setClass(IdempotencyKeyEntity);
export { IdempotencyKeySchema };
