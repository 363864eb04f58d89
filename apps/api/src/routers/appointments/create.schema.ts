import { z } from 'zod';
import { emailSchema, fullNameSchema, localeSchema, timezoneSchema } from '@appointments/domain';
import { dateTimeInput, idParam } from '../common.schema.ts';
import { allowClientOverlapInput, appointmentOutput, notesInput } from './appointment.schema.ts';

/** Who books without an account: matched by email to a client, or made one (passwordless). */
export const guestInput = z
  .object({
    email: emailSchema,
    full_name: fullNameSchema,
    timezone: timezoneSchema.optional().meta({ description: 'IANA zone of a new account; defaults to DEFAULT_TIMEZONE' }),
    locale: localeSchema.optional().meta({ description: "BCP 47 language of a new account's emails; defaults to DEFAULT_LOCALE" }),
  })
  .meta({ description: 'Book without a token (when GUEST_BOOKING is on): as the client with this email, made one (without a password) if there is none. An existing account is used as it is. Refused with a token.' });

export const createAppointmentInput = z
  .object({
    staff_id: idParam.optional().meta({ description: 'Required unless `service_id` is given; left out, anyone who offers the service and can take the time is assigned' }),
    service_id: idParam.optional().meta({ description: "The service booked: its duration fixes the end, its buffers replace the staff member's" }),
    start_time: dateTimeInput,
    end_time: dateTimeInput.optional().meta({ description: 'Required unless `service_id` is given; with it, the start plus its duration (or 422 APPOINTMENT.DURATION_MISMATCH)' }),
    notes: notesInput.nullable().optional(),
    client_id: idParam.optional().meta({ description: 'Admins book for this client; clients book for themselves' }),
    allow_client_overlap: allowClientOverlapInput,
    guest: guestInput.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.service_id !== undefined) return;
    for (const field of ['staff_id', 'end_time'] as const) {
      if (input[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `Required unless service_id is given` });
    }
  })
  .meta({
    examples: [
      { staff_id: 2, start_time: '2026-02-02T10:00:00', end_time: '2026-02-02T11:00:00', notes: 'Initial consultation' },
      { staff_id: 2, client_id: 3, start_time: '2026-02-02T14:00:00+01:00', end_time: '2026-02-02T15:00:00+01:00', notes: null },
      { service_id: 1, start_time: '2026-02-02T10:00:00', notes: 'Anyone who offers it' },
      { staff_id: 2, start_time: '2026-02-02T16:00:00', end_time: '2026-02-02T17:00:00', guest: { email: 'guest@example.com', full_name: 'Gina Guest', timezone: 'Europe/Berlin', locale: 'de' } },
    ],
  });
export const createAppointmentOutput = appointmentOutput;
