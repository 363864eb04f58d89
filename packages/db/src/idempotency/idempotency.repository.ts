import type { EntityManager } from '@mikro-orm/core';
import { execute, Statement } from '../raw-sql.ts';
import { IdempotencyKeyEntity } from './idempotency-key.entity.ts';

// Raw and prepared: a booking with a key reads and writes one, next to the booking's own statements.
const FIND = new Statement<{ readonly request_hash: string; readonly status_code: number; readonly response: string }>(
  'select request_hash, status_code, response from idempotency_keys where user_id = ? and key = ?',
);
// `on conflict do nothing` rather than catching a unique violation, which on PostgreSQL would
// abort a surrounding transaction.
const SAVE = new Statement<never>(
  'insert into idempotency_keys (user_id, key, request_hash, status_code, response, created_at) values (?, ?, ?, ?, ?, ?) on conflict (user_id, key) do nothing',
);

export interface IdempotentResponse {
  readonly requestHash: string;
  readonly statusCode: number;
  readonly response: unknown;
}

/** Stored answers to requests sent with an Idempotency-Key, per user. */
export class IdempotencyRepository {
  readonly #em: EntityManager;
  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager) {
    this.#em = em;
  }

  async find(userId: number, key: string): Promise<IdempotentResponse | null> {
    const [row] = (await execute(this.#em, FIND, [userId, key])).rows;
    return row ? { requestHash: row.request_hash, statusCode: row.status_code, response: JSON.parse(row.response) as unknown } : null;
  }

  /** Deletes answers stored before `cutoff`; the number deleted. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    return this.#em.nativeDelete(IdempotencyKeyEntity, { createdAt: { $lt: cutoff } });
  }

  /** Saves the answer unless the key is already taken: `false` then, and the first answer stands. */
  async save(userId: number, key: string, entry: IdempotentResponse): Promise<boolean> {
    const { affected } = await execute(this.#em, SAVE, [userId, key, entry.requestHash, entry.statusCode, JSON.stringify(entry.response ?? null), new Date()]);
    return affected === 1;
  }
}
