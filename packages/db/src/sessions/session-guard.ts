import type { User } from '@appointments/domain';

/**
 * A session as a request found it: a write it guards happens only if, when it runs, the session
 * still exists unexpired and its user still has the role and standing it was judged by (booking.ts).
 */
export interface SessionAsRead {
  /** The token's hash (the sessions row's id). */
  readonly id: string;
  readonly user: Pick<User, 'id' | 'role' | 'isActive' | 'isBlocked'>;
}

/** The guard as an SQL condition; PostgreSQL's INSERT … SELECT needs its casts. Values: sessionAsReadValues. */
export const sessionStillAsRead = (postgresql: boolean) => {
  const [text, time, int, bool] = postgresql ? ['::text', '::timestamptz', '::int', '::boolean'] : ['', '', '', ''];
  return (
    `exists (select 1 from sessions s join users u on u.id = s.user_id where s.id = ?${text} and s.expires_at > ?${time}` +
    ` and u.id = ?${int} and u.role = ?${text} and u.is_active = ?${bool} and u.is_blocked = ?${bool})`
  );
};

export const sessionAsReadValues = ({ id, user }: SessionAsRead, now: Date): unknown[] => [id, now, user.id, user.role, user.isActive, user.isBlocked];

/** The session a guarded write was judged by has been revoked or has expired, or its user changed; nothing was written. */
export class StaleSessionError extends Error {
  constructor() {
    super('The session or its user changed while booking');
    this.name = 'StaleSessionError';
  }
}
