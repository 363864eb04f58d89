import { Statement } from './statement.ts';
import { USER_COLUMNS, type UserRow } from './users.ts';

// Every authenticated request runs it.
export const SESSION_WITH_USER = new Statement<UserRow & { readonly session_expires_at: unknown }>(
  `select s.expires_at as session_expires_at, ${USER_COLUMNS} from sessions s join users u on u.id = s.user_id where s.id = ?`,
);

export const INSERT_SESSION = new Statement('insert into sessions (id, user_id, expires_at, created_at) values (?, ?, ?, ?)');
export const EXTEND_SESSION = new Statement('update sessions set expires_at = ? where id = ?');
export const DELETE_SESSION = new Statement('delete from sessions where id = ?');
export const DELETE_USER_SESSIONS = new Statement('delete from sessions where user_id = ?');
export const DELETE_OTHER_USER_SESSIONS = new Statement('delete from sessions where user_id = ? and id <> ?');
export const DELETE_EXPIRED_SESSIONS = new Statement('delete from sessions where expires_at <= ?');
