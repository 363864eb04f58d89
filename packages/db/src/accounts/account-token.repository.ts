import type { AccountToken, AccountTokenPurpose } from '@appointments/domain';
import { read, toInstant, toInstantOrNull, type Runner } from '../runner/index.ts';
import { ISSUE_TOKEN, PRUNE_TOKENS, QUEUE_ACCOUNT_MESSAGE, SPEND_TOKEN, SPEND_USER_TOKENS, TOKEN_BY_ID } from '../sql/accounts.ts';

/** A token to issue: its hash (the row's id), what it is for, until when, and the link the email shows. */
export interface NewAccountToken {
  readonly id: string;
  readonly purpose: AccountTokenPurpose;
  readonly expiresAt: Date;
  /** The link with the token in it: kept in the email's outbox row until sent. */
  readonly link: string;
}

/** Single-use account links and the emails that carry them. */
export class AccountTokenRepository {
  readonly #sql: Runner;
  /** @internal Built by Database only. */
  constructor(sql: Runner) {
    this.#sql = sql;
  }

  /**
   * Issues the token to the active user with `email` and queues its email, together; whether there
   * was such a user. The same two statements run either way (see ISSUE_TOKEN).
   */
  async issue(email: string, token: NewAccountToken, now: Date): Promise<boolean> {
    return this.#sql.program(function* () {
      const issued = yield* read([ISSUE_TOKEN, [token.id, token.purpose, token.expiresAt, now, email]]);
      yield* read([QUEUE_ACCOUNT_MESSAGE, [token.link, now, now, token.id]]);
      return issued.length > 0;
    });
  }

  async find(id: string): Promise<AccountToken | null> {
    const [row] = (await this.#sql.run(TOKEN_BY_ID, [id])).rows;
    return row ? { purpose: row.purpose, userId: row.user_id, expiresAt: toInstant(row.expires_at), usedAt: toInstantOrNull(row.used_at) } : null;
  }

  /** Uses the token if it is of this purpose, unused and unexpired at `now`: its user's id, else null. */
  async spend(id: string, purpose: AccountTokenPurpose, now: Date): Promise<number | null> {
    const [row] = (await this.#sql.run(SPEND_TOKEN, [now, id, purpose, now])).rows;
    return row?.user_id ?? null;
  }

  /** Uses every unused token of the user's of this purpose. */
  async spendAll(userId: number, purpose: AccountTokenPurpose, now: Date): Promise<void> {
    await this.#sql.run(SPEND_USER_TOKENS, [now, userId, purpose]);
  }

  /** Deletes tokens expired before `before`; how many. */
  async pruneExpired(before: Date): Promise<number> {
    return this.#sql.deleteInBatches(PRUNE_TOKENS, [before]);
  }
}
