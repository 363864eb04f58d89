import { Statement } from './statement.ts';

// A booking with a key reads and writes one, next to the booking's own statements.
export const FIND_ANSWER = new Statement<{ readonly request_hash: string; readonly status_code: number; readonly response: string }>(
  'select request_hash, status_code, response from idempotency_keys where user_id = ? and key = ?',
);

// `on conflict do nothing` rather than catching a unique violation, which on PostgreSQL would
// abort a surrounding transaction.
export const SAVE_ANSWER = new Statement(
  'insert into idempotency_keys (user_id, key, request_hash, status_code, response, created_at) values (?, ?, ?, ?, ?, ?) on conflict (user_id, key) do nothing',
);

export const DELETE_ANSWERS_BEFORE = new Statement('delete from idempotency_keys where created_at < ?');
