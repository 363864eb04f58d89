import type { EntityManager } from '@mikro-orm/core';
import { DomainError } from '@appointments/domain';
import { pageOf, type Page, type PageStart } from '../page.ts';
import { WebhookEntity } from './webhook.entity.ts';
import type { NewWebhook, Webhook, WebhookChanges } from './webhook.ts';

function toWebhook(entity: WebhookEntity): Webhook {
  return {
    id: entity.id,
    url: entity.url,
    events: entity.events,
    description: entity.description ?? null,
    isActive: entity.isActive,
    disabledReason: entity.disabledReason ?? null,
    createdAt: entity.createdAt.getTime(),
    updatedAt: entity.updatedAt.getTime(),
  };
}

const notFound = (id: number) => new DomainError('WEBHOOK.NOT_FOUND', `Webhook ${id} not found`);

/** Webhook endpoints (their deliveries: WebhookDeliveryRepository); everything it returns is plain data. */
export class WebhookRepository {
  readonly #em: EntityManager;
  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager) {
    this.#em = em;
  }

  async create(data: NewWebhook, now: Date): Promise<Webhook> {
    const entity = this.#em.create(WebhookEntity, { ...data, events: [...data.events], isActive: true, createdAt: now, updatedAt: now });
    await this.#em.flush();
    return toWebhook(entity);
  }

  async findById(id: number): Promise<Webhook | null> {
    const entity = await this.#em.findOne(WebhookEntity, { id });
    return entity && toWebhook(entity);
  }

  /** By id, after the last one read or at an offset. */
  async list({ limit, offset, after }: PageStart): Promise<Page<Webhook>> {
    const entities = await this.#em.find(WebhookEntity, after ? { id: { $gt: after[0] } } : {}, { orderBy: { id: 'asc' }, limit: limit + 1, offset: after ? 0 : (offset ?? 0) });
    return pageOf(entities, limit, toWebhook);
  }

  /** Throws WEBHOOK.NOT_FOUND for an unknown id. */
  async update(id: number, changes: WebhookChanges, now: Date): Promise<Webhook> {
    const entity = await this.#em.findOne(WebhookEntity, { id });
    if (!entity) throw notFound(id);
    const { events, ...rest } = changes;
    this.#em.assign(entity, {
      ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
      ...(events !== undefined && { events: [...events] }),
      ...(changes.isActive === true && { disabledReason: null }),
      updatedAt: now,
    });
    await this.#em.flush();
    return toWebhook(entity);
  }

  /** Deletes it and its delivery log; false if there was none. */
  async delete(id: number): Promise<boolean> {
    return (await this.#em.nativeDelete(WebhookEntity, { id })) > 0;
  }

  /**
   * Makes `secret` the one deliveries are signed with; the one before keeps signing beside it until
   * `overlapUntil`, so receivers can switch without missing a message. Throws WEBHOOK.NOT_FOUND.
   */
  async rotateSecret(id: number, secret: string, overlapUntil: Date, now: Date): Promise<Webhook> {
    const entity = await this.#em.findOne(WebhookEntity, { id });
    if (!entity) throw notFound(id);
    this.#em.assign(entity, { previousSecret: entity.secret, previousSecretExpiresAt: overlapUntil, secret, updatedAt: now });
    await this.#em.flush();
    return toWebhook(entity);
  }
}
