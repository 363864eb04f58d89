import { z } from 'zod';
import { writtenText } from '@appointments/domain';
import { dateTimeInput, idParam } from '../common.schema.ts';
import { allowClientOverlapInput, notesInput } from './appointment.schema.ts';
import { appointmentEventOutput } from './history.ts';

// Recorded in the history and sent in emails: the same rule as notes.
const reason = writtenText(z.string().max(500), 'Reasons', 'many').optional().meta({ description: 'Recorded in the history' });

const expectedSequence = z
  .number()
  .int()
  .min(0)
  .optional()
  .meta({ description: "The appointment's `sequence` this change is meant for; if it has changed since, 409 APPOINTMENT.CHANGED_CONCURRENTLY and nothing applies" });

// Examples name the path's `id` too: they are whole tRPC inputs; the REST document shows the rest as the body.
export const updateAppointmentInput = z
  .object({
    id: idParam,
    notes: notesInput.nullable().optional(),
    status: z.literal('cancelled').optional().meta({ description: 'The only status a PATCH can set; see also /cancel' }),
    reason,
    expected_sequence: expectedSequence,
  })
  .meta({ examples: [{ id: 1, notes: 'Please bring last year’s report' }, { id: 1, status: 'cancelled', reason: 'No longer needed' }] });
export const cancelAppointmentInput = z
  .object({ id: idParam, reason, expected_sequence: expectedSequence })
  .meta({ examples: [{ id: 1, reason: 'Feeling unwell' }] });
export const rescheduleAppointmentInput = z
  .object({
    id: idParam,
    new_start_time: dateTimeInput,
    new_end_time: dateTimeInput.optional().meta({ description: "Required unless the appointment is for a service; with one, the start plus its duration (or 422 APPOINTMENT.DURATION_MISMATCH)" }),
    staff_id: idParam.optional().meta({
      description:
        'Move to this staff member, who must offer the appointment’s service (staff members only to themselves). Left out, it stays with its own, or, for a service they cannot take at the new time, goes to whoever offers it and can',
    }),
    reason,
    expected_sequence: expectedSequence,
    allow_client_overlap: allowClientOverlapInput,
  })
  .meta({ examples: [{ id: 1, new_start_time: '2026-02-03T14:00:00', new_end_time: '2026-02-03T15:00:00', reason: 'Schedule conflict' }] });
export const markAppointmentInput = z.object({ id: idParam, reason });
export const historyInput = z.object({ id: idParam });
export const historyOutput = z.array(appointmentEventOutput);
