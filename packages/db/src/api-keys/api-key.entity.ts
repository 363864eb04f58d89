import { defineEntity, p } from '@mikro-orm/core';
import type { ApiKeyScope } from '@appointments/domain';
import { UserSchema } from '../users/user.entity.ts';

/**
 * An API key. Only the SHA-256 of the key is stored, like sessions; `prefix`, the key's first
 * characters, lets people tell keys apart. Revoking sets `revoked_at`: the row stays, so history
 * entries made with the key still point at it.
 */
const ApiKeySchema = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(100),
    prefix: p.string().length(12),
    keyHash: p.string().length(64).unique(),
    scopes: p.json<ApiKeyScope[]>(),
    // The admin who created it. Users are never deleted: no index for the FK check.
    createdBy: () => p.manyToOne(UserSchema).joinColumn('created_by').nullable().deleteRule('no action').index(false),
    createdAt: p.datetime(),
    expiresAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});

export class ApiKeyEntity extends ApiKeySchema.class {}
ApiKeySchema.setClass(ApiKeyEntity);
export { ApiKeySchema };
