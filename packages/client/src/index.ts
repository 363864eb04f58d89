export { TRPCClientError } from '@trpc/client';
export {
  createAppointmentsClient,
  type AppointmentsCallContext,
  type AppointmentsClient,
  type AppointmentsClientOptions,
  type AppRouter,
  type RouterInputs,
  type RouterOutputs,
} from './client.ts';
export { AppointmentsHttpError, errorCode, errorStatus, isAppointmentsError, type AppointmentsClientError, type AppointmentsErrorCode } from './errors.ts';
export {
  createAppointmentsSession,
  type AppointmentsSession,
  type AppointmentsSessionOptions,
  type BookOptions,
} from './session.ts';
