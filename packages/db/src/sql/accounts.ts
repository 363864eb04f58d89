import type { AccountTokenPurpose } from '@appointments/domain';
import { Statement } from './statement.ts';

/**
 * A token for the active user with this email, if there is one. Run the same whether or not there
 * is (with QUEUE_ACCOUNT_MESSAGE after it), so an unknown address costs what a known one does.
 * Values: token hash, purpose, expires at, now, email.
 */
export const ISSUE_TOKEN = new Statement<{ readonly user_id: number }>(
  'insert into account_tokens (id, user_id, purpose, expires_at, created_at) select ?, u.id, ?, ?, ? from users u where u.email = ? and u.is_active = true returning user_id',
);

/** The email carrying the token just issued, due now; nothing when none was. Values: link, now, now, token hash. */
export const QUEUE_ACCOUNT_MESSAGE = new Statement(
  "insert into account_messages (user_id, kind, link, status, attempts, next_attempt_at, created_at) select user_id, purpose, ?, 'pending', 0, ?, ? from account_tokens where id = ?",
);

export interface AccountTokenRow {
  readonly user_id: number;
  readonly purpose: AccountTokenPurpose;
  readonly expires_at: unknown;
  readonly used_at: unknown;
}

export const TOKEN_BY_ID = new Statement<AccountTokenRow>('select user_id, purpose, expires_at, used_at from account_tokens where id = ?');

/** Uses a token, if it still may be: only one of two racing requests gets its user back. Values: now, hash, purpose, now. */
export const SPEND_TOKEN = new Statement<{ readonly user_id: number }>(
  'update account_tokens set used_at = ? where id = ? and purpose = ? and used_at is null and expires_at > ? returning user_id',
);

/** A user's other links of one purpose stop working (a new password ends every reset link). Values: now, user id, purpose. */
export const SPEND_USER_TOKENS = new Statement('update account_tokens set used_at = ? where user_id = ? and purpose = ? and used_at is null');

/** Tokens expired before a time (a batch at a time: deleteInBatches). Values: before, limit. */
export const PRUNE_TOKENS = new Statement('delete from account_tokens where id in (select id from account_tokens where expires_at < ? limit ?)');

/**
 * Claims messages due now that no live claim holds, oldest first, counting the attempt; PostgreSQL
 * workers claiming at once skip each other's rows. Values: lock until, now, now, limit.
 */
const DUE = "select id from account_messages where status = 'pending' and next_attempt_at <= ? and (locked_until is null or locked_until <= ?) order by next_attempt_at, id limit ?";
const CLAIMED = 'returning id, attempts, kind, link, user_id';
export const CLAIM_MESSAGES = new Statement<{ readonly id: number; readonly attempts: number; readonly kind: AccountTokenPurpose; readonly link: string; readonly user_id: number }>(
  `update account_messages set locked_until = ?, attempts = attempts + 1 where id in (${DUE}) ${CLAIMED}`,
  `update account_messages set locked_until = ?, attempts = attempts + 1 where id in (${DUE} for update skip locked) ${CLAIMED}`,
);

/**
 * An attempt's outcome, recorded only while the claim that made it is the latest (its attempt count
 * unchanged). The link goes with the message's last attempt. Values: status, status again, error,
 * next attempt, sent at, id, attempts.
 */
export const RECORD_MESSAGE_ATTEMPT = new Statement<{ readonly id: number }>(
  "update account_messages set status = ?, link = case when ? = 'pending' then link end, last_error = ?, next_attempt_at = ?, sent_at = ?, locked_until = null where id = ? and attempts = ? returning id",
  "update account_messages set status = ?, link = case when ?::text = 'pending' then link end, last_error = ?, next_attempt_at = ?, sent_at = ?, locked_until = null where id = ? and attempts = ? returning id",
);

/** Messages finished (sent or failed) before a time. Values: before, limit. */
export const PRUNE_MESSAGES = new Statement(
  "delete from account_messages where id in (select id from account_messages where status <> 'pending' and created_at < ? limit ?)",
);
