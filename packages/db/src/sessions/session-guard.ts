import { STANDING_FIELDS, type UserStanding } from '@appointments/domain';

/**
 * A session as a request found it: a write it guards happens only if, when it runs, the session
 * still exists unexpired and its user is still as read (booking.ts).
 */
export interface SessionAsRead {
  /** The token's hash (the sessions row's id). */
  readonly id: string;
  readonly user: UserStanding;
}

/** The guard as an SQL condition (the user's columns in STANDING_FIELDS' order); PostgreSQL's INSERT … SELECT needs its casts. Values: sessionAsReadValues. */
export const sessionStillAsRead = (postgresql: boolean) => {
  const [text, time, int, bool] = postgresql ? ['::text', '::timestamptz', '::int', '::boolean'] : ['', '', '', ''];
  return (
    `exists (select 1 from sessions s join users u on u.id = s.user_id where s.id = ?${text} and s.expires_at > ?${time}` +
    ` and u.id = ?${int} and u.role = ?${text} and u.is_active = ?${bool} and u.is_blocked = ?${bool})`
  );
};

export const sessionAsReadValues = ({ id, user }: SessionAsRead, now: Date): unknown[] => [id, now, ...STANDING_FIELDS.map((field) => user[field])];

/** The session a guarded write was judged by has been revoked or has expired, or its user changed; nothing was written. */
export class StaleSessionError extends Error {
  constructor() {
    super('The session or its user changed while booking');
    this.name = 'StaleSessionError';
  }
}
