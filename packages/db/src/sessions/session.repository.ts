import type { EntityManager } from '@mikro-orm/core';
import type { User } from '@appointments/domain';
import { toUser } from '../users/user.repository.ts';
import { SessionEntity } from './session.entity.ts';

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
    const entity = await this.#em.findOne(SessionEntity, { id }, { populate: ['user'] });
    if (!entity) return null;
    const user = entity.user;
    return { session: { id: entity.id, userId: user.id, expiresAt: entity.expiresAt }, user: toUser(user) };
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
