export { Database, DEFAULT_QUERY_TIMEOUT_MS, postgresConnectionOptions, type Repositories } from './database.ts';
export { boundedClient, QueryTimeoutError } from './bounded-client.ts';
export { isDatabaseUnavailable } from './unavailable.ts';
export { parseDatabaseUrl, type DatabaseTarget } from './database-url.ts';
export type { ClientCounters, NewUser, Page, UserChanges, UserRepository } from './users/user.repository.ts';
export type { NewUserEvent, UserEvent, UserEventRepository } from './users/user-event.repository.ts';
export { USER_EVENT_ACTIONS, type UserEventAction } from './users/user-event.entity.ts';
export type { Session, SessionRepository } from './sessions/session.repository.ts';
export type { Availability, AvailabilityRepository } from './availability/availability.repository.ts';
export type { StaffSettingsRepository } from './staff-settings/staff-settings.repository.ts';
export type {
  Appointment,
  AppointmentChanges,
  AppointmentFilter,
  AppointmentRepository,
  ChangeGuard,
  NewAppointment,
} from './appointments/appointment.repository.ts';
export type { AppointmentEvent, AppointmentEventRepository, NewAppointmentEvent } from './appointments/appointment-event.repository.ts';
export { APPOINTMENT_EVENT_ACTIONS, type AppointmentEventAction } from './appointments/appointment-event.entity.ts';
export { StaleSetupError } from './appointments/booking.ts';
export { StaleSessionError, type SessionAsRead } from './sessions/session-guard.ts';
export type { BookingSetup } from './appointments/booking-setup.ts';
export type { IdempotencyRepository, IdempotentResponse } from './idempotency/idempotency.repository.ts';
export type { AttemptWindowRepository, WindowChange } from './throttle/attempt-window.repository.ts';
export { notificationEnvShape, storageEnvShape, withDatabaseTarget } from './config.ts';
export type { CalendarFeed, CalendarFeedRepository } from './calendar-feeds/calendar-feed.repository.ts';
export type { Notification, NotificationFilter, NotificationRepository, UnremindedAppointment } from './notifications/notification.repository.ts';
export type { Deliverable, DeliveryParty } from './notifications/deliverable.ts';
