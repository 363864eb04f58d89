import type { UserStanding } from '@appointments/domain';

/**
 * A session as a request found it: a write it guards happens only if, when it runs, the session
 * still exists unexpired and its user is still as read (sql/booking.*.ts).
 */
export interface SessionAsRead {
  /** The token's hash (the sessions row's id). */
  readonly id: string;
  readonly user: UserStanding;
}

/** The session a guarded write was judged by has been revoked or has expired, or its user changed; nothing was written. */
export class StaleSessionError extends Error {
  constructor() {
    super('The session or its user changed while booking');
    this.name = 'StaleSessionError';
  }
}
