import { z } from 'zod';
import { MAX_SLOT_RANGE_DAYS } from '@appointments/domain';
import { countOutput, dateInput, idOutput, idParam, instantOutput } from '../common.schema.ts';

/** Without service_id, slot_duration's default. */
export const DEFAULT_SLOT_MINUTES = 60;

export const slotsInput = z
  .object({
    staff_id: idParam.meta({ description: 'Whose slots; with service_id it may be omitted: then every active staff member offering the service', examples: [2] }).optional(),
    service_id: idParam
      .meta({
        description:
          'Slots of this service: its duration, its buffers where set, group seats shared (`seats_left`); the step is the staff member’s slot interval if set, else the duration. Without staff_id each slot names its `staff_ids`.',
        examples: [1],
      })
      .optional(),
    // Described before .optional(): query parameters are documented from the unwrapped schema.
    date: dateInput.meta({ description: 'One local date in the staff member’s zone (each staff member’s own, for a service)' }).optional(),
    from: dateInput.meta({ description: `First local date of a range (with \`to\`, at most ${MAX_SLOT_RANGE_DAYS} days)` }).optional(),
    to: dateInput.meta({ description: 'Last local date of the range, inclusive' }).optional(),
    slot_duration: z
      .number()
      .int()
      .min(5)
      .max(1440)
      .meta({ description: `Minutes; ${DEFAULT_SLOT_MINUTES} if omitted. With service_id, the service’s duration: omit it, or give exactly that (else 422 SERVICE.DURATION_MISMATCH)`, examples: [60] })
      .optional(),
  })
  .refine((query) => query.staff_id !== undefined || query.service_id !== undefined, { message: 'Give staff_id, service_id, or both', path: ['staff_id'] });

export type SlotsQuery = z.output<typeof slotsInput>;
/** A query of one staff member's slots by duration, no service named. */
export type StaffSlotsQuery = Omit<SlotsQuery, 'staff_id' | 'service_id' | 'slot_duration'> & { readonly staff_id: number; readonly slot_duration: number };
/** A query naming a service, and maybe one staff member offering it. */
export type ServiceSlotsQuery = Omit<SlotsQuery, 'service_id'> & { readonly service_id: number };

/** Which of the two a (valid) query is, with the default duration filled in for a staff member's. */
export function slotsQueryOf(query: SlotsQuery): { service: ServiceSlotsQuery } | { staff: StaffSlotsQuery } {
  const { service_id: serviceId, staff_id: staffId = 0 } = query;
  if (serviceId !== undefined) return { service: { ...query, service_id: serviceId } };
  // The refinement above guarantees the staff id here; 0 names nobody, should it ever not.
  return { staff: { ...query, staff_id: staffId, slot_duration: query.slot_duration ?? DEFAULT_SLOT_MINUTES } };
}

/**
 * The example: John's next free hour after appointment 1. A service's slots add `seats_left` for a
 * group service, and `staff_ids` when no staff member was named; a staff member's slots are just the times.
 */
export const slotOutput = z
  .object({
    start_time: instantOutput.meta({ examples: ['2026-02-02T10:00:00.000Z'] }),
    end_time: instantOutput.meta({ examples: ['2026-02-02T11:00:00.000Z'] }),
    staff_ids: z
      .array(idOutput(2))
      .meta({ description: 'With service_id and no staff_id: every staff member offering this slot, ascending', examples: [[2]] })
      .optional(),
    seats_left: countOutput(4)
      .meta({ description: 'A group service’s free seats at this slot, never more than a staff member’s daily cap still allows that day (summed over staff_ids); only for a service whose capacity is above 1', examples: [4] })
      .optional(),
  })
  .meta({ id: 'Slot' });
export const slotsOutput = z.array(slotOutput);
