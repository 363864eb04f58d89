import { z } from 'zod';
import { AVAILABILITY_KINDS } from '@appointments/domain';
import { dateInput, dateTimeInput, idOutput, idParam, instantOutput, timeInput } from '../common.schema.ts';

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

/** The example is John Staff's Monday hours: the fields of the other kinds of entry are null. */
export const availabilityOutput = z
  .object({
    id: idOutput(1),
    staff_id: idOutput(2),
    kind: z.enum(AVAILABILITY_KINDS).meta({ examples: ['available'] }),
    is_recurring: z.boolean().meta({ examples: [true] }),
    day_of_week: z.number().int().min(0).max(6).meta({ examples: [0] }).nullable(),
    specific_date: z.string().nullable().meta({ examples: [null] }),
    start_time: z.string().meta({ examples: ['09:00:00'] }).nullable(),
    end_time: z.string().meta({ examples: ['17:00:00'] }).nullable(),
    start_datetime: instantOutput.nullable().meta({ examples: [null] }),
    end_datetime: instantOutput.nullable().meta({ examples: [null] }),
  })
  .meta({ id: 'Availability' });

export const createAvailabilityInput = z.object({ staff_id: idParam, ...ruleFields }).meta({
  // Weekly hours (the seed's example), one date's hours, and time off.
  examples: [
    { staff_id: 2, day_of_week: 0, start_time: '09:00:00', end_time: '17:00:00', is_recurring: true },
    { staff_id: 2, specific_date: '2026-02-07', start_time: '10:00:00', end_time: '14:00:00', is_recurring: false },
    { staff_id: 2, kind: 'unavailable', start_datetime: '2026-02-09T00:00:00', end_datetime: '2026-02-14T00:00:00' },
  ],
});
export const updateAvailabilityInput = z
  .object({ id: idParam, ...ruleFields })
  .meta({ examples: [{ id: 1, start_time: '08:00:00', end_time: '16:00:00' }] });
export const availabilityIdInput = z.object({ id: idParam });
export const listAvailabilityInput = z.object({ staff_id: idParam.meta({ examples: [2] }) });
