import type { EntityManager } from '@mikro-orm/core';
// Both drivers (SQLite, PostgreSQL) hand out @mikro-orm/sql's SqlEntityManager; the sqlite package re-exports its type.
import type { SqlEntityManager } from '@mikro-orm/sqlite';
import { IdempotencyKeyEntity } from './idempotency-key.entity.ts';

export interface IdempotentResponse {
  readonly requestHash: string;
  readonly statusCode: number;
  readonly response: unknown;
}

/** Stored answers to requests sent with an Idempotency-Key, per user. */
export class IdempotencyRepository {
  readonly #em: SqlEntityManager;
  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager) {
    this.#em = em as SqlEntityManager;
  }

  async find(userId: number, key: string): Promise<IdempotentResponse | null> {
    const entity = await this.#em.findOne(IdempotencyKeyEntity, { user: userId, key });
    return entity && { requestHash: entity.requestHash, statusCode: entity.statusCode, response: JSON.parse(entity.response) as unknown };
  }

  /**
   * Saves the answer unless the key is already taken: `false` then, and the first answer stands.
   * `on conflict do nothing` rather than catching a unique violation, which on PostgreSQL would
   * abort a surrounding transaction.
   */
  async save(userId: number, key: string, entry: IdempotentResponse): Promise<boolean> {
    const result = await this.#em
      .createQueryBuilder(IdempotencyKeyEntity)
      .insert({
        user: userId,
        key,
        requestHash: entry.requestHash,
        statusCode: entry.statusCode,
        response: JSON.stringify(entry.response ?? null),
        createdAt: new Date(),
      })
      .onConflict(['user', 'key'])
      .ignore()
      .execute('run');
    return result.affectedRows === 1;
  }
}
