import { canSeeAppointment, DomainError, type ActorRef, type NamedAppointment } from '@appointments/domain';
import type { Repositories } from '@appointments/db';

/** The appointment if the actor may see it; someone else's is reported as missing (ids reveal nothing). */
export async function loadVisibleAppointment(repos: Repositories, actor: ActorRef, id: number): Promise<NamedAppointment> {
  const appointment = await repos.appointments.findById(id);
  if (!appointment || !canSeeAppointment(actor, appointment)) throw new DomainError('APPOINTMENT.NOT_FOUND', `Appointment ${id} not found`);
  return appointment;
}
