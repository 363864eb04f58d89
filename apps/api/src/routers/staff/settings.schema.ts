import { z } from 'zod';
import { MAX_BUFFER_MINUTES, type BookingRules } from '@appointments/domain';
import { idOutput, idParam } from '../common.schema.ts';

const minutes = (max: number) => z.number().int().min(0).max(max);

/** The example: John Staff's rules, as the update example sets them. */
export const staffSettingsOutput = z
  .object({
    staff_id: idOutput(2),
    buffer_before_minutes: z.number().int().min(0).meta({ examples: [10] }),
    buffer_after_minutes: z.number().int().min(0).meta({ examples: [10] }),
    min_notice_minutes: z.number().int().min(0).meta({ examples: [120] }),
    max_advance_days: z.number().int().min(1).meta({ examples: [60] }),
    slot_interval_minutes: z.number().int().min(5).meta({ examples: [30] }).nullable().meta({ description: 'null: slots step by their own duration' }),
    max_bookings_per_day: z
      .number()
      .int()
      .min(1)
      .meta({ examples: [8] })
      .nullable()
      .meta({ description: "Scheduled appointments a day, counted on the staff member's own date; null: no cap" }),
  })
  .meta({ id: 'StaffSettings', description: 'Effective booking rules: what the staff member set, else the configured defaults' });

export const getStaffSettingsInput = z.object({ staff_id: idParam });

/** Each field: a number sets it, null returns it to the configured default, absent leaves it. */
export const updateStaffSettingsInput = z.object({
  staff_id: idParam,
  buffer_before_minutes: minutes(MAX_BUFFER_MINUTES).nullable().optional(),
  buffer_after_minutes: minutes(MAX_BUFFER_MINUTES).nullable().optional(),
  min_notice_minutes: minutes(525_600).nullable().optional(),
  max_advance_days: z.number().int().min(1).max(3650).nullable().optional(),
  slot_interval_minutes: z.number().int().min(5).max(1440).nullable().optional(),
  max_bookings_per_day: z.number().int().min(1).max(1000).nullable().optional(),
}).meta({
  examples: [
    { staff_id: 2, buffer_before_minutes: 10, buffer_after_minutes: 10, min_notice_minutes: 120, max_advance_days: 60, slot_interval_minutes: 30, max_bookings_per_day: 8 },
    { staff_id: 2, slot_interval_minutes: null },
  ],
});

export function toStaffSettingsOutput(staffId: number, rules: BookingRules): z.output<typeof staffSettingsOutput> {
  return {
    staff_id: staffId,
    buffer_before_minutes: rules.bufferBeforeMinutes,
    buffer_after_minutes: rules.bufferAfterMinutes,
    min_notice_minutes: rules.minNoticeMinutes,
    max_advance_days: rules.maxAdvanceDays,
    slot_interval_minutes: rules.slotIntervalMinutes,
    max_bookings_per_day: rules.maxBookingsPerDay,
  };
}
