import { z } from 'zod';
import { idParam } from '../common.schema.ts';
import { appointmentOutput } from './appointment.schema.ts';

export const getAppointmentInput = z.object({ id: idParam });
export const getAppointmentOutput = appointmentOutput;
