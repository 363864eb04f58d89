import type { User } from '@appointments/domain';
import { toDate, type Runner } from '../runner/index.ts';
import {
  DELETE_EXPIRED_SESSIONS,
  DELETE_OTHER_USER_SESSIONS,
  DELETE_SESSION,
  DELETE_USER_SESSIONS,
  EXTEND_SESSION,
  INSERT_SESSION,
  SESSION_WITH_USER,
} from '../sql/sessions.ts';
import { userFromRow } from '../users/user.row.ts';

export interface Session {
  readonly id: string;
  readonly userId: number;
  readonly expiresAt: Date;
}

export class SessionRepository {
  readonly #sql: Runner;
  /** @internal Built by Database only. */
  constructor(sql: Runner) {
    this.#sql = sql;
  }

  async create(session: Session): Promise<void> {
    await this.#sql.run(INSERT_SESSION, [session.id, session.userId, session.expiresAt, new Date()]);
  }

  /** One query: the session and its user, as authentication needs both on every request. */
  async findWithUser(id: string): Promise<{ session: Session; user: User } | null> {
    const [row] = (await this.#sql.run(SESSION_WITH_USER, [id])).rows;
    if (!row) return null;
    return { session: { id, userId: row.id, expiresAt: toDate(row.session_expires_at) }, user: userFromRow(row) };
  }

  async extend(id: string, expiresAt: Date): Promise<void> {
    await this.#sql.run(EXTEND_SESSION, [expiresAt, id]);
  }

  async delete(id: string): Promise<void> {
    await this.#sql.run(DELETE_SESSION, [id]);
  }

  /** Revokes every session of a user, optionally keeping the one in use. */
  async deleteForUser(userId: number, keepId?: string): Promise<number> {
    return (await (keepId ? this.#sql.run(DELETE_OTHER_USER_SESSIONS, [userId, keepId]) : this.#sql.run(DELETE_USER_SESSIONS, [userId]))).affected;
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.#sql.run(DELETE_EXPIRED_SESSIONS, [now])).affected;
  }
}
