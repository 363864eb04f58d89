export { Database, type Repositories } from './database.ts';
export { parseDatabaseUrl, type DatabaseTarget } from './database-url.ts';
export type { NewUser, Page, UserChanges, UserRepository } from './users/user.repository.ts';
export type { Session, SessionRepository } from './sessions/session.repository.ts';
export type { Availability, AvailabilityRepository } from './availability/availability.repository.ts';
export type { StaffSettingsRepository } from './staff-settings/staff-settings.repository.ts';
export type {
  Appointment,
  AppointmentChanges,
  AppointmentFilter,
  AppointmentRepository,
  NewAppointment,
} from './appointments/appointment.repository.ts';
export type { IdempotencyRepository, IdempotentResponse } from './idempotency/idempotency.repository.ts';
export { envBoolean, storageEnvShape, withDatabaseTarget } from './config.ts';
export { exitOnConfigError, parseEnvWith, stopOnSignals } from './runtime.ts';
