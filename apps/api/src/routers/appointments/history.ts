import { z } from 'zod';
import { APPOINTMENT_STATUSES, formatInstant, type AppointmentEvent } from '@appointments/domain';
import { formatInstantOrNull, idOutput, instantOutput } from '../common.schema.ts';

/** The fields of a history entry that stay null unless the change touched them. */
export const NO_CHANGE = { fromStatus: null, toStatus: null, fromStart: null, fromEnd: null, toStart: null, toEnd: null, reason: null, policyOverride: false } as const;

/** The example: Jane moves appointment 1 to the next day, 14:00–15:00 in Berlin. */
const moved = (example: string) => instantOutput.meta({ examples: [example] }).nullable();

export const appointmentEventOutput = z
  .object({
    id: idOutput(2),
    at: instantOutput.meta({ examples: ['2026-01-27T17:30:00.000Z'] }),
    actor_id: idOutput(3).nullable().meta({ description: 'The user who acted; null: an API key (actor_api_key_id) or the system' }),
    actor_api_key_id: idOutput(1).nullable().meta({ description: 'The API key that acted, if one did', examples: [null] }),
    action: z.string().meta({ examples: ['rescheduled'] }),
    from_status: z.enum(APPOINTMENT_STATUSES).nullable().meta({ examples: [null] }),
    to_status: z.enum(APPOINTMENT_STATUSES).nullable().meta({ examples: [null] }),
    from_start_time: moved('2026-02-02T09:00:00.000Z'),
    from_end_time: moved('2026-02-02T10:00:00.000Z'),
    to_start_time: moved('2026-02-03T13:00:00.000Z'),
    to_end_time: moved('2026-02-03T14:00:00.000Z'),
    reason: z.string().meta({ examples: ['Schedule conflict'] }).nullable(),
    policy_override: z.boolean().meta({ description: 'An admin acted inside the cancellation window', examples: [false] }),
  })
  .meta({ id: 'AppointmentEvent' });

export function toEventOutput(event: AppointmentEvent): z.output<typeof appointmentEventOutput> {
  return {
    id: event.id,
    at: formatInstant(event.at),
    actor_id: event.actorId,
    actor_api_key_id: event.actorApiKeyId,
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
