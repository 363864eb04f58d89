import type { EntityManager } from '@mikro-orm/core';
import type { ActedBy } from '@appointments/domain';
import { UserEventEntity, type UserEventAction } from './user-event.entity.ts';

/** One entry of a user's account history; who acted is ActedBy's. */
export interface UserEvent extends ActedBy {
  readonly id: number;
  readonly userId: number;
  readonly at: Date;
  readonly action: UserEventAction;
  readonly reason: string | null;
}

export type NewUserEvent = Omit<UserEvent, 'id'>;

function toUserEvent(entity: UserEventEntity): UserEvent {
  return {
    id: entity.id,
    userId: entity.user.id,
    actorId: entity.actor?.id ?? null,
    actorApiKeyId: entity.actorApiKey?.id ?? null,
    at: entity.at,
    action: entity.action,
    reason: entity.reason ?? null,
  };
}

/** Account history (blocks and unblocks): append and read only. */
export class UserEventRepository {
  readonly #em: EntityManager;
  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager) {
    this.#em = em;
  }

  async append(event: NewUserEvent): Promise<UserEvent> {
    const { userId, actorId, actorApiKeyId, ...fields } = event;
    const entity = this.#em.create(UserEventEntity, { ...fields, user: userId, actor: actorId, actorApiKey: actorApiKeyId });
    await this.#em.flush();
    return toUserEvent(entity);
  }

  /** Oldest first, in the order entries were appended. */
  async listFor(userId: number): Promise<UserEvent[]> {
    const entities = await this.#em.find(UserEventEntity, { user: userId }, { orderBy: { id: 'asc' } });
    return entities.map(toUserEvent);
  }
}
