import type { EntityManager } from '@mikro-orm/core';
import type { User } from '@appointments/domain';
import type { UserEntity } from '../users/user.entity.ts';
import { CalendarFeedEntity } from './calendar-feed.entity.ts';

export interface CalendarFeed {
  readonly id: number;
  readonly userId: number;
  readonly name: string | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

function toFeed(entity: CalendarFeedEntity): CalendarFeed {
  return { id: entity.id, userId: entity.user.id, name: entity.name ?? null, createdAt: entity.createdAt, lastUsedAt: entity.lastUsedAt ?? null };
}

function toUser(entity: UserEntity): User {
  return {
    id: entity.id,
    email: entity.email,
    fullName: entity.fullName,
    role: entity.role,
    isActive: entity.isActive,
    timezone: entity.timezone,
    locale: entity.locale ?? null,
    emailVerified: entity.emailVerified,
    noShowCount: entity.noShowCount,
    completedCount: entity.completedCount,
    isBlocked: entity.isBlocked,
    createdAt: entity.createdAt,
  };
}

export class CalendarFeedRepository {
  readonly #em: EntityManager;
  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager) {
    this.#em = em;
  }

  async create(data: { userId: number; tokenHash: string; name: string | null }): Promise<CalendarFeed> {
    const entity = this.#em.create(CalendarFeedEntity, { user: data.userId, tokenHash: data.tokenHash, name: data.name });
    await this.#em.flush();
    return toFeed(entity);
  }

  async listForUser(userId: number): Promise<CalendarFeed[]> {
    return (await this.#em.find(CalendarFeedEntity, { user: userId }, { orderBy: { id: 'asc' } })).map(toFeed);
  }

  /** Revokes one of the user's own feeds; false when there is no such feed of theirs. */
  async revoke(id: number, userId: number): Promise<boolean> {
    return (await this.#em.nativeDelete(CalendarFeedEntity, { id, user: userId })) > 0;
  }

  /** The feed behind a token hash, with its (active) owner, noting the poll; null when unknown. */
  async use(tokenHash: string, now: Date): Promise<{ feed: CalendarFeed; user: User } | null> {
    const entity = await this.#em.findOne(CalendarFeedEntity, { tokenHash }, { populate: ['user'] });
    if (!entity || !entity.user.isActive) return null;
    await this.#em.nativeUpdate(CalendarFeedEntity, { id: entity.id }, { lastUsedAt: now });
    return { feed: toFeed(entity), user: toUser(entity.user) };
  }
}
