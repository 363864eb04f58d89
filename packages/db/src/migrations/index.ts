import type { Migration } from '@mikro-orm/migrations';
import { Migration20261125000000 as PgInitial } from './postgresql/Migration20261125000000.ts';
import { Migration20261125131525_scheduling as PgScheduling } from './postgresql/Migration20261125131525_scheduling.ts';
import { Migration20261125133940_lifecycle as PgLifecycle } from './postgresql/Migration20261125133940_lifecycle.ts';
import { Migration20261125135516_calendar_feeds as PgCalendarFeeds } from './postgresql/Migration20261125135516_calendar_feeds.ts';
import { Migration20261125142855_notifications as PgNotifications } from './postgresql/Migration20261125142855_notifications.ts';
import { Migration20261125172101_schedule_versions as PgScheduleVersions } from './postgresql/Migration20261125172101_schedule_versions.ts';
import { Migration20261205023322_setup_versions as PgSetupVersions } from './postgresql/Migration20261205023322_setup_versions.ts';
import { Migration20261205032839_attempt_windows as PgAttemptWindows } from './postgresql/Migration20261205032839_attempt_windows.ts';
import { Migration20261205055033_appointments_bump_first as PgAppointmentsBumpFirst } from './postgresql/Migration20261205055033_appointments_bump_first.ts';
import { Migration20261206005412_client_not_busy as PgClientNotBusy } from './postgresql/Migration20261206005412_client_not_busy.ts';
import { Migration20261206033739_appointment_changes as PgAppointmentChanges } from './postgresql/Migration20261206033739_appointment_changes.ts';
import { Migration20261206045920_services as PgServices } from './postgresql/Migration20261206045920_services.ts';
import { Migration20261206054421_service_bookings as PgServiceBookings } from './postgresql/Migration20261206054421_service_bookings.ts';
import { Migration20261206054422_local_dates as PgLocalDates } from './postgresql/Migration20261206054422_local_dates.ts';
import { Migration20261206055337_list_order as PgListOrder } from './postgresql/Migration20261206055337_list_order.ts';
import { Migration20261206055623_staff_directory as PgStaffDirectory } from './postgresql/Migration20261206055623_staff_directory.ts';
import { Migration20261206060532_service_versions as PgServiceVersions } from './postgresql/Migration20261206060532_service_versions.ts';
import { Migration20261206082659_webhooks as PgWebhooks } from './postgresql/Migration20261206082659_webhooks.ts';
import { Migration20261206083308_api_keys as PgApiKeys } from './postgresql/Migration20261206083308_api_keys.ts';
import { Migration20261206093441_accounts as PgAccounts } from './postgresql/Migration20261206093441_accounts.ts';
import { Migration20261206093941_reminder_leads as PgReminderLeads } from './postgresql/Migration20261206093941_reminder_leads.ts';
import { Migration20261206094036_account_links as PgAccountLinks } from './postgresql/Migration20261206094036_account_links.ts';
import { Migration20261125000000 as SqliteInitial } from './sqlite/Migration20261125000000.ts';
import { Migration20261125131525_scheduling as SqliteScheduling } from './sqlite/Migration20261125131525_scheduling.ts';
import { Migration20261125133940_lifecycle as SqliteLifecycle } from './sqlite/Migration20261125133940_lifecycle.ts';
import { Migration20261125135516_calendar_feeds as SqliteCalendarFeeds } from './sqlite/Migration20261125135516_calendar_feeds.ts';
import { Migration20261125142855_notifications as SqliteNotifications } from './sqlite/Migration20261125142855_notifications.ts';
import { Migration20261125172101_schedule_versions as SqliteScheduleVersions } from './sqlite/Migration20261125172101_schedule_versions.ts';
import { Migration20261205023322_setup_versions as SqliteSetupVersions } from './sqlite/Migration20261205023322_setup_versions.ts';
import { Migration20261205032839_attempt_windows as SqliteAttemptWindows } from './sqlite/Migration20261205032839_attempt_windows.ts';
import { Migration20261206005412_client_not_busy as SqliteClientNotBusy } from './sqlite/Migration20261206005412_client_not_busy.ts';
import { Migration20261206033739_appointment_changes as SqliteAppointmentChanges } from './sqlite/Migration20261206033739_appointment_changes.ts';
import { Migration20261206045920_services as SqliteServices } from './sqlite/Migration20261206045920_services.ts';
import { Migration20261206054421_service_bookings as SqliteServiceBookings } from './sqlite/Migration20261206054421_service_bookings.ts';
import { Migration20261206054422_local_dates as SqliteLocalDates } from './sqlite/Migration20261206054422_local_dates.ts';
import { Migration20261206055337_list_order as SqliteListOrder } from './sqlite/Migration20261206055337_list_order.ts';
import { Migration20261206055623_staff_directory as SqliteStaffDirectory } from './sqlite/Migration20261206055623_staff_directory.ts';
import { Migration20261206060532_service_versions as SqliteServiceVersions } from './sqlite/Migration20261206060532_service_versions.ts';
import { Migration20261206082659_webhooks as SqliteWebhooks } from './sqlite/Migration20261206082659_webhooks.ts';
import { Migration20261206083308_api_keys as SqliteApiKeys } from './sqlite/Migration20261206083308_api_keys.ts';
import { Migration20261206093441_accounts as SqliteAccounts } from './sqlite/Migration20261206093441_accounts.ts';
import { Migration20261206093941_reminder_leads as SqliteReminderLeads } from './sqlite/Migration20261206093941_reminder_leads.ts';
import { Migration20261206094036_account_links as SqliteAccountLinks } from './sqlite/Migration20261206094036_account_links.ts';

type MigrationClass = new (...args: ConstructorParameters<typeof Migration>) => Migration;

/** Listed explicitly (not discovered on disk) so they load the same under Node, vitest and bundlers. */
const migrations: Record<'sqlite' | 'postgresql', { name: string; class: MigrationClass }[]> = {
  sqlite: [
    { name: 'Migration20261125000000', class: SqliteInitial },
    { name: 'Migration20261125131525_scheduling', class: SqliteScheduling },
    { name: 'Migration20261125133940_lifecycle', class: SqliteLifecycle },
    { name: 'Migration20261125135516_calendar_feeds', class: SqliteCalendarFeeds },
    { name: 'Migration20261125142855_notifications', class: SqliteNotifications },
    { name: 'Migration20261125172101_schedule_versions', class: SqliteScheduleVersions },
    { name: 'Migration20261205023322_setup_versions', class: SqliteSetupVersions },
    { name: 'Migration20261205032839_attempt_windows', class: SqliteAttemptWindows },
    { name: 'Migration20261206005412_client_not_busy', class: SqliteClientNotBusy },
    { name: 'Migration20261206033739_appointment_changes', class: SqliteAppointmentChanges },
    { name: 'Migration20261206045920_services', class: SqliteServices },
    { name: 'Migration20261206054421_service_bookings', class: SqliteServiceBookings },
    { name: 'Migration20261206054422_local_dates', class: SqliteLocalDates },
    { name: 'Migration20261206055337_list_order', class: SqliteListOrder },
    { name: 'Migration20261206055623_staff_directory', class: SqliteStaffDirectory },
    { name: 'Migration20261206060532_service_versions', class: SqliteServiceVersions },
    { name: 'Migration20261206082659_webhooks', class: SqliteWebhooks },
    { name: 'Migration20261206083308_api_keys', class: SqliteApiKeys },
    { name: 'Migration20261206093441_accounts', class: SqliteAccounts },
    { name: 'Migration20261206093941_reminder_leads', class: SqliteReminderLeads },
    { name: 'Migration20261206094036_account_links', class: SqliteAccountLinks },
  ],
  postgresql: [
    { name: 'Migration20261125000000', class: PgInitial },
    { name: 'Migration20261125131525_scheduling', class: PgScheduling },
    { name: 'Migration20261125133940_lifecycle', class: PgLifecycle },
    { name: 'Migration20261125135516_calendar_feeds', class: PgCalendarFeeds },
    { name: 'Migration20261125142855_notifications', class: PgNotifications },
    { name: 'Migration20261125172101_schedule_versions', class: PgScheduleVersions },
    { name: 'Migration20261205023322_setup_versions', class: PgSetupVersions },
    { name: 'Migration20261205032839_attempt_windows', class: PgAttemptWindows },
    { name: 'Migration20261205055033_appointments_bump_first', class: PgAppointmentsBumpFirst },
    { name: 'Migration20261206005412_client_not_busy', class: PgClientNotBusy },
    { name: 'Migration20261206033739_appointment_changes', class: PgAppointmentChanges },
    { name: 'Migration20261206045920_services', class: PgServices },
    { name: 'Migration20261206054421_service_bookings', class: PgServiceBookings },
    { name: 'Migration20261206054422_local_dates', class: PgLocalDates },
    { name: 'Migration20261206055337_list_order', class: PgListOrder },
    { name: 'Migration20261206055623_staff_directory', class: PgStaffDirectory },
    { name: 'Migration20261206060532_service_versions', class: PgServiceVersions },
    { name: 'Migration20261206082659_webhooks', class: PgWebhooks },
    { name: 'Migration20261206083308_api_keys', class: PgApiKeys },
    { name: 'Migration20261206093441_accounts', class: PgAccounts },
    { name: 'Migration20261206093941_reminder_leads', class: PgReminderLeads },
    { name: 'Migration20261206094036_account_links', class: PgAccountLinks },
  ],
};

export function migrationsFor(dialect: 'sqlite' | 'postgresql') {
  return migrations[dialect];
}
