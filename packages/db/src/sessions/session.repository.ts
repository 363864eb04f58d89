import type { EntityManager } from '@mikro-orm/core';
import type { User } from '@appointments/domain';
import { execute, Statement, toDate } from '../raw-sql.ts';
import { USER_COLUMNS, userFromRow, type UserRow } from '../users/user.row.ts';
import { SessionEntity } from './session.entity.ts';

// Raw and prepared: every authenticated request runs it.
const WITH_USER = new Statement<UserRow & { readonly session_expires_at: unknown }>(
  `select s.expires_at as session_expires_at, ${USER_COLUMNS} from sessions s join users u on u.id = s.user_id where s.id = ?`,
);

export interface Session {
  readonly id: string;
  readonly userId: number;
  readonly expiresAt: Date;
}

export class SessionRepository {
  readonly #em: EntityManager;
  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager) {
    this.#em = em;
  }

  async create(session: Session): Promise<void> {
    this.#em.create(SessionEntity, { id: session.id, user: session.userId, expiresAt: session.expiresAt });
    await this.#em.flush();
  }

  /** One query: the session and its user, as authentication needs both on every request. */
  async findWithUser(id: string): Promise<{ session: Session; user: User } | null> {
    const [row] = (await execute(this.#em, WITH_USER, [id])).rows;
    if (!row) return null;
    return { session: { id, userId: row.id, expiresAt: toDate(row.session_expires_at) }, user: userFromRow(row) };
  }

  async extend(id: string, expiresAt: Date): Promise<void> {
    await this.#em.nativeUpdate(SessionEntity, { id }, { expiresAt });
  }

  async delete(id: string): Promise<void> {
    await this.#em.nativeDelete(SessionEntity, { id });
  }

  /** Revokes every session of a user, optionally keeping the one in use. */
  async deleteForUser(userId: number, keepId?: string): Promise<number> {
    return this.#em.nativeDelete(SessionEntity, keepId ? { user: userId, id: { $ne: keepId } } : { user: userId });
  }

  async deleteExpired(now: Date): Promise<number> {
    return this.#em.nativeDelete(SessionEntity, { expiresAt: { $lte: now } });
  }
}
