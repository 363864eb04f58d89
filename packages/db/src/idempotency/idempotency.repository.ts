import type { Runner } from '../runner/index.ts';
import { DELETE_ANSWERS_BEFORE, FIND_ANSWER, SAVE_ANSWER } from '../sql/idempotency.ts';

export interface IdempotentResponse {
  readonly requestHash: string;
  readonly statusCode: number;
  readonly response: unknown;
}

/** Whose Idempotency-Keys: a user's, or an API key's. */
export type IdempotencyOwner = { readonly userId: number } | { readonly apiKeyId: number };

/** Stored answers to requests sent with an Idempotency-Key, per owner. */
export class IdempotencyRepository {
  readonly #sql: Runner;
  /** @internal Built by Database only. */
  constructor(sql: Runner) {
    this.#sql = sql;
  }

  async find(owner: IdempotencyOwner, key: string): Promise<IdempotentResponse | null> {
    const [statement, id] = 'userId' in owner ? [FIND_ANSWER.user_id, owner.userId] : [FIND_ANSWER.api_key_id, owner.apiKeyId];
    const [row] = (await this.#sql.run(statement, [id, key])).rows;
    return row ? { requestHash: row.request_hash, statusCode: row.status_code, response: JSON.parse(row.response) as unknown } : null;
  }

  /** Deletes answers stored before `cutoff`; the number deleted. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    return (await this.#sql.run(DELETE_ANSWERS_BEFORE, [cutoff])).affected;
  }

  /** Saves the answer unless the owner's key is already taken: `false` then, and the first answer stands. */
  async save(owner: IdempotencyOwner, key: string, entry: IdempotentResponse): Promise<boolean> {
    const [userId, apiKeyId] = 'userId' in owner ? [owner.userId, null] : [null, owner.apiKeyId];
    const { affected } = await this.#sql.run(SAVE_ANSWER, [userId, apiKeyId, key, entry.requestHash, entry.statusCode, JSON.stringify(entry.response ?? null), new Date()]);
    return affected === 1;
  }
}
