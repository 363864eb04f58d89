import { defineEntity, p } from '@mikro-orm/core';
import { AVAILABILITY_KINDS } from '@appointments/domain';
import { UserSchema } from '../users/user.entity.ts';

export const AVAILABILITY_TYPES = ['weekly', 'date', 'range'] as const;

/**
 * One row per availability rule. `weekly`/`date` rules are wall-clock times in the staff member's
 * zone (kept as "HH:MM:SS" text, so "24:00:00" survives); `range` rules are real instants.
 */
const AvailabilitySchema = defineEntity({
  name: 'Availability',
  tableName: 'availability',
  properties: {
    id: p.integer().primary().autoincrement(),
    staff: () => p.manyToOne(UserSchema).deleteRule('cascade').index(),
    kind: p.enum(AVAILABILITY_KINDS),
    type: p.enum(AVAILABILITY_TYPES),
    dayOfWeek: p.integer().nullable(),
    specificDate: p.string().length(10).nullable(),
    startTime: p.string().length(8).nullable(),
    endTime: p.string().length(8).nullable(),
    startAt: p.datetime().nullable(),
    endAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  checks: [
    {
      // Each type has exactly its own columns, so reading a rule back never meets a half-filled row.
      name: 'availability_rule_check',
      expression:
        "(type = 'weekly' and day_of_week >= 0 and day_of_week <= 6 and specific_date is null and start_time is not null and end_time is not null and start_at is null and end_at is null)" +
        " or (type = 'date' and day_of_week is null and specific_date is not null and start_time is not null and end_time is not null and start_at is null and end_at is null)" +
        " or (type = 'range' and kind = 'unavailable' and day_of_week is null and specific_date is null and start_time is null and end_time is null and start_at is not null and end_at is not null)",
    },
  ],
});

export class AvailabilityEntity extends AvailabilitySchema.class {}
AvailabilitySchema.setClass(AvailabilityEntity);
export { AvailabilitySchema };
