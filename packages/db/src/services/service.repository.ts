import type { EntityManager } from '@mikro-orm/core';
import { DomainError, normalizeStaffIds, type Service, type ServiceLabel, type User } from '@appointments/domain';
import { pageOf, type Page, type PageStart } from '../page.ts';
import { UserEntity } from '../users/user.entity.ts';
import { ServiceEntity, ServiceStaffEntity } from './service.entity.ts';

/** `reminderLeadMinutes` absent: null, the deployment's lead times. */
export type NewService = Omit<Service, 'id' | 'isActive' | 'reminderLeadMinutes'> & Partial<Pick<Service, 'reminderLeadMinutes'>>;
/** `undefined` leaves a field as it is; `staffIds` replaces the whole list. */
export type ServiceChanges = { readonly [K in keyof NewService | 'isActive']?: (NewService & Pick<Service, 'isActive'>)[K] };

const COLUMNS = [
  'name',
  'description',
  'durationMinutes',
  'location',
  'priceCents',
  'currency',
  'bufferBeforeMinutes',
  'bufferAfterMinutes',
  'capacity',
  'reminderLeadMinutes',
  'isActive',
] as const;

function toService(entity: ServiceEntity, staffIds: readonly number[]): Service {
  return {
    id: entity.id,
    name: entity.name,
    description: entity.description ?? null,
    durationMinutes: entity.durationMinutes,
    location: entity.location ?? null,
    priceCents: entity.priceCents,
    currency: entity.currency,
    bufferBeforeMinutes: entity.bufferBeforeMinutes ?? null,
    bufferAfterMinutes: entity.bufferAfterMinutes ?? null,
    capacity: entity.capacity,
    reminderLeadMinutes: entity.reminderLeadMinutes ?? null,
    staffIds,
    isActive: entity.isActive,
  };
}

/** The services catalogue and who offers each service; everything it returns is plain data. */
export class ServiceRepository {
  readonly #em: EntityManager;
  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager) {
    this.#em = em;
  }

  /** Writes the service and its staff; run it in a transaction so both land or neither. */
  async create(data: NewService): Promise<Service> {
    const { staffIds, ...columns } = data;
    const entity = this.#em.create(ServiceEntity, columns);
    await this.#em.flush();
    return toService(entity, await this.#setStaff(entity.id, staffIds));
  }

  async findById(id: number): Promise<Service | null> {
    const entity = await this.#em.findOne(ServiceEntity, { id });
    return entity && toService(entity, (await this.#staffOf([id])).get(id) ?? []);
  }

  /** Services by id (after the id of the last one read, or at an offset); inactive ones only when asked. */
  async list({ includeInactive, limit, offset, after }: { readonly includeInactive: boolean } & PageStart): Promise<Page<Service>> {
    const where = { ...(includeInactive ? {} : { isActive: true }), ...(after ? { id: { $gt: after[0] } } : {}) };
    const entities = await this.#em.find(ServiceEntity, where, { orderBy: { id: 'asc' }, limit: limit + 1, offset: after ? 0 : (offset ?? 0) });
    const staff = await this.#staffOf(entities.slice(0, limit).map((entity) => entity.id));
    return pageOf(entities, limit, (entity) => toService(entity, staff.get(entity.id) ?? []));
  }

  /** Throws SERVICE.NOT_FOUND for an unknown id; run it in a transaction when `staffIds` is given. */
  async update(id: number, changes: ServiceChanges): Promise<Service> {
    const entity = await this.#em.findOne(ServiceEntity, { id });
    if (!entity) throw new DomainError('SERVICE.NOT_FOUND', `Service ${id} not found`);
    this.#em.assign(entity, Object.fromEntries(COLUMNS.filter((column) => changes[column] !== undefined).map((column) => [column, changes[column]])));
    await this.#em.flush();
    if (changes.staffIds !== undefined) await this.#setStaff(id, changes.staffIds);
    return toService(entity, (await this.#staffOf([id])).get(id) ?? []);
  }

  /** What appointments' calendar events say of their services, by id (deactivated ones too: appointments keep naming them). */
  async labels(ids: readonly number[]): Promise<Map<number, ServiceLabel>> {
    if (ids.length === 0) return new Map();
    const entities = await this.#em.find(ServiceEntity, { id: { $in: [...ids] } }, { fields: ['id', 'name', 'location'] });
    return new Map(entities.map((entity) => [entity.id, { name: entity.name, location: entity.location ?? null }]));
  }

  /** The users behind `ids` (as far as they exist), for the rule on who may offer a service. */
  async usersByIds(ids: readonly number[]): Promise<Pick<User, 'id' | 'role' | 'isActive'>[]> {
    if (ids.length === 0) return [];
    const users = await this.#em.find(UserEntity, { id: { $in: [...ids] } }, { fields: ['id', 'role', 'isActive'] });
    return users.map(({ id, role, isActive }) => ({ id, role, isActive }));
  }

  async #setStaff(serviceId: number, staffIds: readonly number[]): Promise<number[]> {
    const ids = normalizeStaffIds(staffIds);
    await this.#em.nativeDelete(ServiceStaffEntity, { service: serviceId });
    if (ids.length > 0) await this.#em.insertMany(ServiceStaffEntity, ids.map((staff) => ({ service: serviceId, staff })));
    return ids;
  }

  async #staffOf(serviceIds: readonly number[]): Promise<Map<number, number[]>> {
    const byService = new Map<number, number[]>();
    if (serviceIds.length === 0) return byService;
    const rows = await this.#em.find(ServiceStaffEntity, { service: { $in: [...serviceIds] } }, { orderBy: { service: 'asc', staff: 'asc' } });
    for (const row of rows) {
      const list = byService.get(row.service.id) ?? [];
      list.push(row.staff.id);
      byService.set(row.service.id, list);
    }
    return byService;
  }
}
