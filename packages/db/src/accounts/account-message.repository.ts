import type { AccountTokenPurpose, User } from '@appointments/domain';
import type { Runner } from '../runner/index.ts';
import { CLAIM_MESSAGES, PRUNE_MESSAGES, RECORD_MESSAGE_ATTEMPT } from '../sql/accounts.ts';
import { USERS_BY_IDS } from '../sql/users.ts';
import { userFromRow } from '../users/user.row.ts';
import type { AccountMessageStatus } from './account.entity.ts';

/** A message a worker holds a claim on: what sending it takes. */
export interface ClaimedAccountMessage {
  readonly id: number;
  /** Its attempt count with this one: the claim's identity when its outcome is recorded. */
  readonly attempt: number;
  readonly kind: AccountTokenPurpose;
  readonly link: string;
  readonly recipient: User;
}

/** What an attempt came to: sent, tried again at `at`, or given up. */
export type AccountMessageOutcome =
  | { readonly kind: 'sent' }
  | { readonly kind: 'retry'; readonly at: Date; readonly error: string }
  | { readonly kind: 'failed'; readonly error: string };

/** The worker's side of the account emails' outbox. */
export class AccountMessageRepository {
  readonly #sql: Runner;
  /** @internal Built by Database only. */
  constructor(sql: Runner) {
    this.#sql = sql;
  }

  /**
   * Claims up to `limit` messages due at `now` until `lockedUntil`, with their recipients as they
   * are now. A claim that runs out (its worker died) makes the message claimable again.
   */
  async claimDue(now: Date, lockedUntil: Date, limit: number): Promise<ClaimedAccountMessage[]> {
    const claimed = (await this.#sql.run(CLAIM_MESSAGES, [lockedUntil, now, now, limit])).rows;
    if (claimed.length === 0) return [];
    const users = new Map((await this.#sql.run(USERS_BY_IDS, [claimed.map((row) => row.user_id)])).rows.map((row) => [row.id, userFromRow(row)]));
    // A user deleted meanwhile took the message with them (cascade): nothing to send.
    return claimed.flatMap((row) => {
      const recipient = users.get(row.user_id);
      return recipient ? [{ id: row.id, attempt: row.attempts, kind: row.kind, link: row.link, recipient }] : [];
    });
  }

  /** Records an attempt's outcome, unless the claim that made it was overtaken (then false). */
  async recordAttempt(claim: Pick<ClaimedAccountMessage, 'id' | 'attempt'>, outcome: AccountMessageOutcome, now: Date): Promise<boolean> {
    const [status, error, next, sentAt]: [AccountMessageStatus, string | null, Date | null, Date | null] =
      outcome.kind === 'sent' ? ['sent', null, null, now] : outcome.kind === 'retry' ? ['pending', outcome.error, outcome.at, null] : ['failed', outcome.error, null, null];
    return (await this.#sql.run(RECORD_MESSAGE_ATTEMPT, [status, status, error, next, sentAt, claim.id, claim.attempt])).rows.length > 0;
  }

  /** Deletes messages sent or failed before `before`; how many. */
  async pruneFinished(before: Date): Promise<number> {
    return this.#sql.deleteInBatches(PRUNE_MESSAGES, [before]);
  }
}
