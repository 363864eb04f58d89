import type { Runner } from '../runner/index.ts';
import { DELETE_ANSWERS_BEFORE, FIND_ANSWER, SAVE_ANSWER } from '../sql/idempotency.ts';

export interface IdempotentResponse {
  readonly requestHash: string;
  readonly statusCode: number;
  readonly response: unknown;
}

/** Stored answers to requests sent with an Idempotency-Key, per user. */
export class IdempotencyRepository {
  readonly #sql: Runner;
  /** @internal Built by Database only. */
  constructor(sql: Runner) {
    this.#sql = sql;
  }

  async find(userId: number, key: string): Promise<IdempotentResponse | null> {
    const [row] = (await this.#sql.run(FIND_ANSWER, [userId, key])).rows;
    return row ? { requestHash: row.request_hash, statusCode: row.status_code, response: JSON.parse(row.response) as unknown } : null;
  }

  /** Deletes answers stored before `cutoff`; the number deleted. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    return (await this.#sql.run(DELETE_ANSWERS_BEFORE, [cutoff])).affected;
  }

  /** Saves the answer unless the key is already taken: `false` then, and the first answer stands. */
  async save(userId: number, key: string, entry: IdempotentResponse): Promise<boolean> {
    const { affected } = await this.#sql.run(SAVE_ANSWER, [userId, key, entry.requestHash, entry.statusCode, JSON.stringify(entry.response ?? null), new Date()]);
    return affected === 1;
  }
}
