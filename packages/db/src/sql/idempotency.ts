import { Statement } from './statement.ts';

/** An answer's owner column: a user's answers, or an API key's. */
export type OwnerColumn = 'user_id' | 'api_key_id';

const findAnswer = (owner: OwnerColumn) =>
  new Statement<{ readonly request_hash: string; readonly status_code: number; readonly response: string }>(
    `select request_hash, status_code, response from idempotency_keys where ${owner} = ? and key = ?`,
  );

// A booking with a key reads and writes one, next to the booking's own statements.
export const FIND_ANSWER: Readonly<Record<OwnerColumn, ReturnType<typeof findAnswer>>> = { user_id: findAnswer('user_id'), api_key_id: findAnswer('api_key_id') };

// `on conflict do nothing` (on either owner's unique index) rather than catching a unique
// violation, which on PostgreSQL would abort a surrounding transaction. Values: user id, API key
// id (one of them null), key, request hash, status, response, now.
export const SAVE_ANSWER = new Statement(
  'insert into idempotency_keys (user_id, api_key_id, key, request_hash, status_code, response, created_at) values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing',
);

export const DELETE_ANSWERS_BEFORE = new Statement('delete from idempotency_keys where created_at < ?');
