import { z } from 'zod';
import { dateTimeInput, idParam } from '../common.schema.ts';
import { appointmentOutput, notesInput } from './appointment.schema.ts';

export const createAppointmentInput = z.object({
  staff_id: idParam,
  start_time: dateTimeInput,
  end_time: dateTimeInput,
  notes: notesInput.nullable().optional(),
  client_id: idParam.optional().meta({ description: 'Admins book for this client; clients book for themselves' }),
});
export const createAppointmentOutput = appointmentOutput;
