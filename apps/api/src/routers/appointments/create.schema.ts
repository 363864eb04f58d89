import { z } from 'zod';
import { dateTimeInput, idParam } from '../common.schema.ts';
import { allowClientOverlapInput, appointmentOutput, notesInput } from './appointment.schema.ts';

export const createAppointmentInput = z.object({
  staff_id: idParam,
  start_time: dateTimeInput,
  end_time: dateTimeInput,
  notes: notesInput.nullable().optional(),
  client_id: idParam.optional().meta({ description: 'Admins book for this client; clients book for themselves' }),
  allow_client_overlap: allowClientOverlapInput,
}).meta({
  examples: [
    { staff_id: 2, start_time: '2026-02-02T10:00:00', end_time: '2026-02-02T11:00:00', notes: 'Initial consultation' },
    { staff_id: 2, client_id: 3, start_time: '2026-02-02T14:00:00+01:00', end_time: '2026-02-02T15:00:00+01:00', notes: null },
  ],
});
export const createAppointmentOutput = appointmentOutput;
