import { defineEntity, p } from '@mikro-orm/core';
import { ApiKeySchema } from '../api-keys/api-key.entity.ts';
import { UserSchema } from '../users/user.entity.ts';

/**
 * The stored answer to a request sent with an Idempotency-Key, replayed when the key comes again.
 * Keys are per owner: a user, or an API key (exactly one of the two).
 */
const IdempotencyKeySchema = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  properties: {
    id: p.integer().primary().autoincrement(),
    // No single-column FK indexes: the unique indexes below lead with these columns.
    user: () => p.manyToOne(UserSchema).nullable().deleteRule('cascade').index(false),
    apiKey: () => p.manyToOne(ApiKeySchema).nullable().deleteRule('cascade').index(false),
    key: p.string().length(255),
    requestHash: p.string().length(64),
    statusCode: p.integer(),
    // JSON text rather than json/jsonb: replayed byte-for-byte, never queried into.
    response: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  // Nulls are distinct in both: a user's keys never meet an API key's.
  uniques: [{ properties: ['user', 'key'] }, { properties: ['apiKey', 'key'] }],
  checks: [{ name: 'idempotency_keys_one_owner', expression: '(user_id is null) <> (api_key_id is null)' }],
});

export class IdempotencyKeyEntity extends IdempotencyKeySchema.class {}
IdempotencyKeySchema.setClass(IdempotencyKeyEntity);
export { IdempotencyKeySchema };
