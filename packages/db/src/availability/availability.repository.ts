import { ForeignKeyConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { DomainError, type AvailabilityRule } from '@appointments/domain';
import { AvailabilityEntity } from './availability.entity.ts';
import { ruleFromColumns } from './rule-columns.ts';

export type Availability = AvailabilityRule & { readonly id: number; readonly staffId: number };

/** Every rule column, the ones the rule's type does not use set to null (so an update replaces, never merges). */
function columns(rule: AvailabilityRule) {
  const none = { dayOfWeek: null, specificDate: null, startTime: null, endTime: null, startAt: null, endAt: null };
  switch (rule.type) {
    case 'weekly':
      return { ...none, kind: rule.kind, type: rule.type, dayOfWeek: rule.dayOfWeek, startTime: rule.startTime, endTime: rule.endTime };
    case 'date':
      return { ...none, kind: rule.kind, type: rule.type, specificDate: rule.date, startTime: rule.startTime, endTime: rule.endTime };
    case 'range':
      return { ...none, kind: rule.kind, type: rule.type, startAt: new Date(rule.start), endAt: new Date(rule.end) };
  }
}

function toAvailability(entity: AvailabilityEntity): Availability {
  const { kind, type, dayOfWeek = null, specificDate = null, startTime = null, endTime = null, startAt, endAt } = entity;
  const rule = ruleFromColumns({ kind, type, dayOfWeek, specificDate, startTime, endTime, startAt: startAt?.getTime() ?? null, endAt: endAt?.getTime() ?? null });
  return { id: entity.id, staffId: entity.staff.id, ...rule };
}

/** A staff member's availability rules; everything it returns is plain data. */
export class AvailabilityRepository {
  readonly #em: EntityManager;
  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager) {
    this.#em = em;
  }

  async create(data: { readonly staffId: number } & AvailabilityRule): Promise<Availability> {
    const entity = this.#em.create(AvailabilityEntity, { ...columns(data), staff: data.staffId });
    try {
      await this.#em.flush();
    } catch (error) {
      if (error instanceof ForeignKeyConstraintViolationException) throw new DomainError('USER.NOT_FOUND', `User ${data.staffId} not found`);
      throw error;
    }
    return toAvailability(entity);
  }

  async findById(id: number): Promise<Availability | null> {
    const entity = await this.#em.findOne(AvailabilityEntity, { id });
    return entity && toAvailability(entity);
  }

  /** All of a staff member's rules, oldest first. */
  async listForStaff(staffId: number): Promise<Availability[]> {
    const entities = await this.#em.find(AvailabilityEntity, { staff: staffId }, { orderBy: { id: 'asc' } });
    return entities.map(toAvailability);
  }

  /** Replaces the rule (its type may change); the owner stays. */
  async update(id: number, rule: AvailabilityRule): Promise<Availability> {
    const entity = await this.#em.findOne(AvailabilityEntity, { id });
    if (!entity) throw new DomainError('AVAILABILITY.NOT_FOUND', `Availability ${id} not found`);
    this.#em.assign(entity, columns(rule));
    await this.#em.flush();
    return toAvailability(entity);
  }

  async delete(id: number): Promise<boolean> {
    return (await this.#em.nativeDelete(AvailabilityEntity, { id })) > 0;
  }
}
