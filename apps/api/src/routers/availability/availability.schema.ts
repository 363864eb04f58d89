import { z } from 'zod';
import { AVAILABILITY_KINDS } from '@appointments/domain';
import { dateInput, dateTimeInput, idParam, instantOutput, timeInput } from '../common.schema.ts';

/**
 * One availability entry, in the seed's fields plus `kind` and a datetime range:
 * weekly `{day_of_week, start_time, end_time, is_recurring: true}`,
 * on a date `{specific_date, start_time, end_time, is_recurring: false}` (an unavailable date
 * without times blocks the whole day), or a span of time off `{kind: "unavailable", start_datetime, end_datetime}`.
 */
export const ruleFields = {
  kind: z.enum(AVAILABILITY_KINDS).optional().meta({ description: 'available (default) or unavailable; unavailable wins' }),
  is_recurring: z.boolean().optional(),
  day_of_week: z.number().int().min(0).max(6).optional().meta({ description: '0 = Monday … 6 = Sunday' }),
  specific_date: dateInput.optional(),
  start_time: timeInput.optional(),
  end_time: timeInput.optional(),
  start_datetime: dateTimeInput.optional(),
  end_datetime: dateTimeInput.optional(),
};

export type RuleFields = { [K in keyof typeof ruleFields]?: z.output<(typeof ruleFields)[K]> };

export const availabilityOutput = z
  .object({
    id: z.number().int().positive(),
    staff_id: z.number().int().positive(),
    kind: z.enum(AVAILABILITY_KINDS),
    is_recurring: z.boolean(),
    day_of_week: z.number().int().nullable(),
    specific_date: z.string().nullable(),
    start_time: z.string().nullable(),
    end_time: z.string().nullable(),
    start_datetime: instantOutput.nullable(),
    end_datetime: instantOutput.nullable(),
  })
  .meta({ id: 'Availability' });

export const createAvailabilityInput = z.object({ staff_id: idParam, ...ruleFields });
export const updateAvailabilityInput = z.object({ id: idParam, ...ruleFields });
export const availabilityIdInput = z.object({ id: idParam });
export const listAvailabilityInput = z.object({ staff_id: idParam });
