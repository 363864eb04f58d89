import { z } from 'zod';
import { APPOINTMENT_STATUSES } from '@appointments/domain';
import { CURSOR_LIST_DEFAULTS, cursorListInputShape, cursorPageOutput, dateTimeInput, idParam } from '../common.schema.ts';
import { appointmentOutput } from './appointment.schema.ts';

export const listAppointmentsInput = z
  .object({
    status: z.enum(APPOINTMENT_STATUSES).optional(),
    // Described before .optional(): query parameters are documented from the unwrapped schema.
    from: dateTimeInput.meta({ description: 'Appointments ending after this instant (naive: your own time zone)' }).optional(),
    to: dateTimeInput.meta({ description: 'Appointments starting before this instant' }).optional(),
    staff_id: idParam.optional(),
    client_id: idParam.optional(),
    ...cursorListInputShape,
  })
  .default(CURSOR_LIST_DEFAULTS);

/** By start time, then id; over REST a plain array, as the seed returned, the next cursor in headers. */
export const listAppointmentsOutput = cursorPageOutput(appointmentOutput);
