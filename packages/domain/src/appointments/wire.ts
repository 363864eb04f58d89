import { formatInstant } from '../time/convert.ts';
import type { NamedAppointment } from './appointment.ts';

/**
 * An appointment as every face of the system shows it (seed field names): the API's answers and
 * the webhooks' `data` both, so a receiver reads one shape.
 */
export function appointmentWire(a: NamedAppointment) {
  return {
    id: a.id,
    start_time: formatInstant(a.start),
    end_time: formatInstant(a.end),
    notes: a.notes,
    status: a.status,
    sequence: a.sequence,
    client_id: a.clientId,
    staff_id: a.staffId,
    service_id: a.serviceId,
    client_name: a.clientName,
    staff_name: a.staffName,
    created_at: formatInstant(a.createdAt),
    updated_at: formatInstant(a.updatedAt),
  };
}

export type AppointmentWire = ReturnType<typeof appointmentWire>;
