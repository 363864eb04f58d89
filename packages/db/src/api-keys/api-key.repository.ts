import { z } from 'zod';
import { apiKeyScopeSchema, type ApiKey } from '@appointments/domain';
import { toDate, type Runner } from '../runner/index.ts';
import { ACTIVE_API_KEYS, API_KEY_BY_HASH, INSERT_API_KEY, RECORD_API_KEY_USE, REVOKE_API_KEY, type ApiKeyRow } from '../sql/api-keys.ts';

export type NewApiKey = Pick<ApiKey, 'name' | 'prefix' | 'scopes' | 'createdBy' | 'createdAt' | 'expiresAt'> & {
  /** SHA-256 of the key, hex: the key itself is never stored. */
  readonly keyHash: string;
};

const scopesSchema = z.array(apiKeyScopeSchema);
const dateOrNull = (value: unknown) => (value === null || value === undefined ? null : toDate(value));

function apiKeyFromRow(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: scopesSchema.parse(typeof row.scopes === 'string' ? JSON.parse(row.scopes) : row.scopes),
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
    expiresAt: dateOrNull(row.expires_at),
    lastUsedAt: dateOrNull(row.last_used_at),
    revokedAt: dateOrNull(row.revoked_at),
  };
}

export class ApiKeyRepository {
  readonly #sql: Runner;
  /** @internal Built by Database only. */
  constructor(sql: Runner) {
    this.#sql = sql;
  }

  async create(key: NewApiKey): Promise<ApiKey> {
    const { rows } = await this.#sql.run(INSERT_API_KEY, [key.name, key.prefix, key.keyHash, JSON.stringify(key.scopes), key.createdBy, key.createdAt, key.expiresAt]);
    return apiKeyFromRow(rows[0]!);
  }

  /** Keys not revoked, oldest first. */
  async listActive(): Promise<ApiKey[]> {
    return (await this.#sql.run(ACTIVE_API_KEYS, [])).rows.map(apiKeyFromRow);
  }

  /** The key behind a hash, revoked and expired ones too (the caller says why it refuses them). */
  async findByHash(keyHash: string): Promise<ApiKey | null> {
    const [row] = (await this.#sql.run(API_KEY_BY_HASH, [keyHash])).rows;
    return row ? apiKeyFromRow(row) : null;
  }

  /** Revokes a key; false when there is no such key, or it was revoked already. */
  async revoke(id: number, now: Date): Promise<boolean> {
    return (await this.#sql.run(REVOKE_API_KEY, [now, id])).affected === 1;
  }

  /** Records a use at `now` unless one at or after `cutoff` is recorded already. */
  async recordUse(id: number, now: Date, cutoff: Date): Promise<void> {
    await this.#sql.run(RECORD_API_KEY_USE, [now, id, cutoff]);
  }
}
