import { z } from 'zod';
import { APPOINTMENT_STATUSES, appointmentWire, writtenText, type NamedAppointment } from '@appointments/domain';
import { countOutput, idOutput, instantOutput } from '../common.schema.ts';

export const notesInput = writtenText(z.string().max(2000), 'Notes', 'many');

export const allowClientOverlapInput = z.boolean().optional().meta({
  description: "Admins only: book (or move) the client even where it overlaps the client's other scheduled appointments; recorded in the history. Anyone else sending true gets 403",
});

export const appointmentOutput = z
  .object({
    id: idOutput(1),
    start_time: instantOutput.meta({ examples: ['2026-02-02T09:00:00.000Z'] }),
    end_time: instantOutput.meta({ examples: ['2026-02-02T10:00:00.000Z'] }),
    notes: z.string().meta({ examples: ['Initial consultation'] }).nullable(),
    status: z.enum(APPOINTMENT_STATUSES),
    sequence: countOutput(0).meta({ description: 'iCalendar SEQUENCE: grows when the time moves or the appointment is cancelled' }),
    client_id: idOutput(3),
    staff_id: idOutput(2),
    service_id: idOutput(1).nullable().meta({ description: 'The service booked; null for an appointment booked by its times alone' }),
    client_name: z.string().meta({ examples: ['Jane Client'] }),
    staff_name: z.string().meta({ examples: ['John Staff'] }),
    created_at: instantOutput,
    updated_at: instantOutput,
  })
  .meta({ id: 'Appointment' });

export type AppointmentOutput = z.output<typeof appointmentOutput>;

/** The wire shape is the domain's (appointmentWire), which webhooks send too; this checks it against the schema. */
export const toAppointmentOutput: (a: NamedAppointment) => AppointmentOutput = appointmentWire;
