import type { User } from '@appointments/domain';

/** What of a user a booking is judged by: who they are, their role and their standing. */
const JUDGED_BY = ['id', 'role', 'isActive', 'isBlocked'] as const;
export type UserAsRead = Pick<User, (typeof JUDGED_BY)[number]>;

/** Whether a booking judged on `a` would be judged the same on `b`. */
export const sameStanding = (a: UserAsRead, b: UserAsRead): boolean => JUDGED_BY.every((field) => a[field] === b[field]);

/**
 * A session as a request found it: a write it guards happens only if, when it runs, the session
 * still exists unexpired and its user is still as read (sql/booking.*.ts).
 */
export interface SessionAsRead {
  /** The token's hash (the sessions row's id). */
  readonly id: string;
  readonly user: UserAsRead;
}

/** The session a guarded write was judged by has been revoked or has expired, or its user changed; nothing was written. */
export class StaleSessionError extends Error {
  constructor() {
    super('The session or its user changed while booking');
    this.name = 'StaleSessionError';
  }
}
