import { z } from 'zod';
import { MAX_SLOT_RANGE_DAYS } from '@appointments/domain';
import { dateInput, idParam, instantOutput } from '../common.schema.ts';

export const slotsInput = z.object({
  staff_id: idParam.meta({ examples: [2] }),
  // Described before .optional(): query parameters are documented from the unwrapped schema.
  date: dateInput.meta({ description: 'One local date in the staff member’s zone' }).optional(),
  from: dateInput.meta({ description: `First local date of a range (with \`to\`, at most ${MAX_SLOT_RANGE_DAYS} days)` }).optional(),
  to: dateInput.meta({ description: 'Last local date of the range, inclusive' }).optional(),
  slot_duration: z.number().int().min(5).max(1440).default(60).meta({ description: 'Minutes', examples: [60] }),
});

/** The example: John's next free hour after appointment 1. */
export const slotOutput = z
  .object({ start_time: instantOutput.meta({ examples: ['2026-02-02T10:00:00.000Z'] }), end_time: instantOutput.meta({ examples: ['2026-02-02T11:00:00.000Z'] }) })
  .meta({ id: 'Slot' });
export const slotsOutput = z.array(slotOutput);
