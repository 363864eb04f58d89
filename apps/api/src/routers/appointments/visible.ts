import { canSeeAppointment, DomainError, type AppointmentState, type User } from '@appointments/domain';
import type { Appointment, Repositories } from '@appointments/db';

/** The appointment if the actor may see it; someone else's is reported as missing (ids reveal nothing). */
export async function loadVisibleAppointment(repos: Repositories, actor: Pick<User, 'id' | 'role'>, id: number): Promise<Appointment> {
  const appointment = await repos.appointments.findById(id);
  if (!appointment || !canSeeAppointment(actor, appointment)) throw new DomainError('APPOINTMENT.NOT_FOUND', `Appointment ${id} not found`);
  return appointment;
}

/** The slice of a stored appointment the status machine reasons about. */
export function lifecycleState(appointment: Appointment): AppointmentState {
  return {
    status: appointment.status,
    start: appointment.start.getTime(),
    clientId: appointment.clientId,
    staffId: appointment.staffId,
    sequence: appointment.sequence,
  };
}
