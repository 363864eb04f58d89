import { z } from 'zod';
import { dateTimeInput, idParam } from '../common.schema.ts';
import { notesInput } from './appointment.schema.ts';
import { appointmentEventOutput } from './history.ts';

const reason = z.string().max(500).optional().meta({ description: 'Recorded in the history' });

export const updateAppointmentInput = z.object({
  id: idParam,
  notes: notesInput.nullable().optional(),
  status: z.literal('cancelled').optional().meta({ description: 'The only status a PATCH can set; see also /cancel' }),
  reason,
});
export const cancelAppointmentInput = z.object({ id: idParam, reason });
export const rescheduleAppointmentInput = z.object({ id: idParam, new_start_time: dateTimeInput, new_end_time: dateTimeInput, reason });
export const markAppointmentInput = z.object({ id: idParam, reason });
export const historyInput = z.object({ id: idParam });
export const historyOutput = z.array(appointmentEventOutput);
