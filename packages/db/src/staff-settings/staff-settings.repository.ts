import { ForeignKeyConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { DomainError, type BookingRuleOverrides } from '@appointments/domain';
import { StaffSettingsEntity } from './staff-settings.entity.ts';

const FIELDS = ['bufferBeforeMinutes', 'bufferAfterMinutes', 'minNoticeMinutes', 'maxAdvanceDays', 'slotIntervalMinutes', 'maxBookingsPerDay'] as const;

const DEFAULTS: BookingRuleOverrides = {
  bufferBeforeMinutes: null,
  bufferAfterMinutes: null,
  minNoticeMinutes: null,
  maxAdvanceDays: null,
  slotIntervalMinutes: null,
  maxBookingsPerDay: null,
};

function toOverrides(entity: StaffSettingsEntity): BookingRuleOverrides {
  return {
    bufferBeforeMinutes: entity.bufferBeforeMinutes ?? null,
    bufferAfterMinutes: entity.bufferAfterMinutes ?? null,
    minNoticeMinutes: entity.minNoticeMinutes ?? null,
    maxAdvanceDays: entity.maxAdvanceDays ?? null,
    slotIntervalMinutes: entity.slotIntervalMinutes ?? null,
    maxBookingsPerDay: entity.maxBookingsPerDay ?? null,
  };
}

/** A staff member's booking-rule overrides; no row and null columns both mean "the configured default". */
export class StaffSettingsRepository {
  readonly #em: EntityManager;
  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager) {
    this.#em = em;
  }

  async get(staffId: number): Promise<BookingRuleOverrides> {
    // refresh: `update`'s upsert leaves an entity in the identity map knowing only the fields it wrote.
    const entity = await this.#em.findOne(StaffSettingsEntity, { staff: staffId }, { refresh: true });
    return entity ? toOverrides(entity) : DEFAULTS;
  }

  /** `undefined` leaves a field as it is, `null` returns it to the default. */
  async update(staffId: number, changes: Partial<BookingRuleOverrides>): Promise<BookingRuleOverrides> {
    const set = Object.fromEntries(FIELDS.filter((field) => changes[field] !== undefined).map((field) => [field, changes[field]]));
    if (Object.keys(set).length > 0) {
      try {
        // One statement (insert … on conflict … do update of the given fields only): two first
        // updates racing cannot both insert, and neither overwrites a field it was not given.
        await this.#em.upsert(StaffSettingsEntity, { ...set, staff: staffId }, {
          onConflictFields: ['staff'],
          onConflictAction: 'merge',
          onConflictMergeFields: Object.keys(set) as (typeof FIELDS)[number][],
        });
      } catch (error) {
        if (error instanceof ForeignKeyConstraintViolationException) throw new DomainError('USER.NOT_FOUND', `User ${staffId} not found`);
        throw error;
      }
    }
    return this.get(staffId);
  }
}
