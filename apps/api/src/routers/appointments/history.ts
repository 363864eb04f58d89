import { z } from 'zod';
import { APPOINTMENT_STATUSES, formatInstant, type AppointmentEvent } from '@appointments/domain';
import { formatInstantOrNull, instantOutput } from '../common.schema.ts';

/** The fields of a history entry that stay null unless the change touched them. */
export const NO_CHANGE = { fromStatus: null, toStatus: null, fromStart: null, fromEnd: null, toStart: null, toEnd: null, reason: null, policyOverride: false } as const;

export const appointmentEventOutput = z
  .object({
    id: z.number().int().positive(),
    at: instantOutput,
    actor_id: z.number().int().positive().nullable(),
    action: z.string(),
    from_status: z.enum(APPOINTMENT_STATUSES).nullable(),
    to_status: z.enum(APPOINTMENT_STATUSES).nullable(),
    from_start_time: instantOutput.nullable(),
    from_end_time: instantOutput.nullable(),
    to_start_time: instantOutput.nullable(),
    to_end_time: instantOutput.nullable(),
    reason: z.string().nullable(),
    policy_override: z.boolean().meta({ description: 'An admin acted inside the cancellation window' }),
  })
  .meta({ id: 'AppointmentEvent' });

export function toEventOutput(event: AppointmentEvent): z.output<typeof appointmentEventOutput> {
  return {
    id: event.id,
    at: formatInstant(event.at),
    actor_id: event.actorId,
    action: event.action,
    from_status: event.fromStatus,
    to_status: event.toStatus,
    from_start_time: formatInstantOrNull(event.fromStart),
    from_end_time: formatInstantOrNull(event.fromEnd),
    to_start_time: formatInstantOrNull(event.toStart),
    to_end_time: formatInstantOrNull(event.toEnd),
    reason: event.reason,
    policy_override: event.policyOverride,
  };
}
