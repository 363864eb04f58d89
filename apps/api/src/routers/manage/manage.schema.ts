import { z } from 'zod';
import { cancelAppointmentInput, rescheduleAppointmentInput } from '../appointments/lifecycle.schema.ts';

const EXAMPLE_TOKEN = '1.0.bQ8s3kT1yJx0Vh2rFw9cLp4aZn6eUd7G';

// Any text is taken (up to a bound): a token that is not ours is answered 404 like one that never existed.
const token = z.string().min(1).max(200).meta({ description: 'The token of a manage link, as the email carries it', examples: [EXAMPLE_TOKEN] });

export const manageInput = z.object({ token }).meta({ examples: [{ token: EXAMPLE_TOKEN }] });
export const manageCancelInput = z
  .object({ token, reason: cancelAppointmentInput.shape.reason })
  .meta({ examples: [{ token: EXAMPLE_TOKEN, reason: 'Feeling unwell' }] });
export const manageRescheduleInput = rescheduleAppointmentInput
  .pick({ new_start_time: true, new_end_time: true })
  .extend({ token })
  .meta({ examples: [{ token: EXAMPLE_TOKEN, new_start_time: '2026-02-03T14:00:00', new_end_time: '2026-02-03T15:00:00' }] });
