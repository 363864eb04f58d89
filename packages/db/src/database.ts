import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MikroORM, type EntityManager, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import type { DatabaseTarget } from './database-url.ts';
import { boundedClient, DEFAULT_QUERY_TIMEOUT_MS, migrateUnbounded, openEngine, postgresConnectionOptions, Runner, type Engine, type QueryBound } from './runner/index.ts';
import { SCHEDULE_VERSION } from './sql/schedule-versions.ts';
import { SERVICE_SLOT_STATE } from './sql/service-slots.ts';
import { AccountMessageSchema, AccountTokenSchema } from './accounts/account.entity.ts';
import { AccountMessageRepository } from './accounts/account-message.repository.ts';
import { AccountTokenRepository } from './accounts/account-token.repository.ts';
import { ApiKeySchema } from './api-keys/api-key.entity.ts';
import { ApiKeyRepository } from './api-keys/api-key.repository.ts';
import { AppointmentChangeSchema } from './appointments/appointment-change.entity.ts';
import { AppointmentChangeRepository } from './appointments/appointment-change.repository.ts';
import { AppointmentEventEntity, AppointmentEventSchema, appointmentEventGuards } from './appointments/appointment-event.entity.ts';
import { AppointmentEventRepository } from './appointments/appointment-event.repository.ts';
import { AppointmentEntity, AppointmentSchema, appointmentGuards } from './appointments/appointment.entity.ts';
import type { EngineGuards } from './engine-guards.ts';
import { AppointmentRepository } from './appointments/appointment.repository.ts';
import { AvailabilityEntity, AvailabilitySchema } from './availability/availability.entity.ts';
import { CalendarFeedSchema } from './calendar-feeds/calendar-feed.entity.ts';
import { CalendarFeedRepository } from './calendar-feeds/calendar-feed.repository.ts';
import { AvailabilityRepository } from './availability/availability.repository.ts';
import { IdempotencyKeySchema } from './idempotency/idempotency-key.entity.ts';
import { IdempotencyRepository } from './idempotency/idempotency.repository.ts';
import { AttemptWindowSchema } from './throttle/attempt-window.entity.ts';
import { AttemptWindowRepository } from './throttle/attempt-window.repository.ts';
import { migrationsFor } from './migrations/index.ts';
import { NotificationSchema } from './notifications/notification.entity.ts';
import { NotificationRepository } from './notifications/notification.repository.ts';
import { ServiceEntity, ServiceSchema, ServiceStaffEntity, ServiceStaffSchema, serviceVersionBumps } from './services/service.entity.ts';
import { ServiceRepository } from './services/service.repository.ts';
import type { ServiceSlotState } from './services/service-slot-state.ts';
import { SessionSchema } from './sessions/session.entity.ts';
import { SessionRepository } from './sessions/session.repository.ts';
import { ScheduleVersionSchema, scheduleVersionBumps } from './schedule-versions/schedule-version.entity.ts';
import { StaffSettingsEntity, StaffSettingsSchema } from './staff-settings/staff-settings.entity.ts';
import { StaffSettingsRepository } from './staff-settings/staff-settings.repository.ts';
import { StaffDirectoryRepository } from './staff/staff-directory.repository.ts';
import { UserEventSchema } from './users/user-event.entity.ts';
import { UserEventRepository } from './users/user-event.repository.ts';
import { UserEntity, UserSchema } from './users/user.entity.ts';
import { UserRepository } from './users/user.repository.ts';
import { WebhookDeliverySchema, WebhookEventSchema } from './webhooks/webhook-delivery.entity.ts';
import { WebhookSchema } from './webhooks/webhook.entity.ts';
import { WebhookDeliveryRepository } from './webhooks/webhook-delivery.repository.ts';
import { WebhookRepository } from './webhooks/webhook.repository.ts';

export const entities = [
  UserSchema,
  UserEventSchema,
  SessionSchema,
  AvailabilitySchema,
  StaffSettingsSchema,
  AppointmentSchema,
  AppointmentEventSchema,
  AppointmentChangeSchema,
  IdempotencyKeySchema,
  CalendarFeedSchema,
  NotificationSchema,
  ScheduleVersionSchema,
  AttemptWindowSchema,
  ServiceSchema,
  ServiceStaffSchema,
  WebhookSchema,
  WebhookEventSchema,
  WebhookDeliverySchema,
  ApiKeySchema,
  AccountTokenSchema,
  AccountMessageSchema,
];

/** Per-engine checks and triggers, by the entity class they belong to. */
const engineGuards = new Map<unknown, EngineGuards[]>([
  [AppointmentEntity, [appointmentGuards, scheduleVersionBumps('appointments', 'staff_id', 'schedule')]],
  [AppointmentEventEntity, [appointmentEventGuards]],
  [AvailabilityEntity, [scheduleVersionBumps('availability', 'staff_id')]],
  [StaffSettingsEntity, [scheduleVersionBumps('staff_settings', 'staff_id')]],
  // Zone, role and active flag decide a staff member's slots; any update bumps (rare, and never wrong).
  [UserEntity, [scheduleVersionBumps('users', 'id')]],
  [ServiceEntity, [serviceVersionBumps.services]],
  [ServiceStaffEntity, [serviceVersionBumps.serviceStaff]],
]);

/**
 * Repositories sharing one forked EntityManager: one set per request or job, never shared. Each
 * works through the ORM (account history, availability, staff settings, calendar feeds, services) or
 * through the runner on that EntityManager (statements in sql/: the hot and the guarded paths, and
 * API keys, read on every request made with one),
 * never both, and both commit together in `Database.transaction`.
 */
export interface Repositories {
  readonly users: UserRepository;
  readonly userEvents: UserEventRepository;
  readonly sessions: SessionRepository;
  readonly availability: AvailabilityRepository;
  readonly staffSettings: StaffSettingsRepository;
  readonly appointments: AppointmentRepository;
  readonly appointmentEvents: AppointmentEventRepository;
  readonly appointmentChanges: AppointmentChangeRepository;
  readonly idempotency: IdempotencyRepository;
  readonly attemptWindows: AttemptWindowRepository;
  readonly calendarFeeds: CalendarFeedRepository;
  readonly notifications: NotificationRepository;
  readonly services: ServiceRepository;
  readonly staffDirectory: StaffDirectoryRepository;
  readonly webhooks: WebhookRepository;
  readonly webhookDeliveries: WebhookDeliveryRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly accountTokens: AccountTokenRepository;
  readonly accountMessages: AccountMessageRepository;
}

function repositories(em: EntityManager, engine: Engine): Repositories {
  const sql = new Runner(em, engine);
  return {
    users: new UserRepository(sql),
    userEvents: new UserEventRepository(em),
    sessions: new SessionRepository(sql),
    availability: new AvailabilityRepository(em),
    staffSettings: new StaffSettingsRepository(em),
    appointments: new AppointmentRepository(sql),
    appointmentEvents: new AppointmentEventRepository(sql),
    appointmentChanges: new AppointmentChangeRepository(sql),
    idempotency: new IdempotencyRepository(sql),
    attemptWindows: new AttemptWindowRepository(sql),
    calendarFeeds: new CalendarFeedRepository(em),
    notifications: new NotificationRepository(sql),
    services: new ServiceRepository(em),
    staffDirectory: new StaffDirectoryRepository(sql),
    webhooks: new WebhookRepository(em),
    webhookDeliveries: new WebhookDeliveryRepository(sql),
    apiKeys: new ApiKeyRepository(sql),
    accountTokens: new AccountTokenRepository(sql),
    accountMessages: new AccountMessageRepository(sql),
  };
}

/**
 * `bound`: how long a PostgreSQL query may take, read as each query starts (so migrations can lift
 * it) and, for the server's statement_timeout, now; absent, queries are unbounded (schema tooling).
 */
export function ormOptions(target: DatabaseTarget, bound?: Readonly<QueryBound>): Partial<Options> {
  const common = {
    entities,
    extensions: [Migrator],
    migrations: { migrationsList: migrationsFor(target.dialect), snapshot: false, silent: true },
    discovery: {
      // Entities are declared with defineEntity: no reflection, no discovery from the file system.
      warnWhenNoEntities: true,
      // Guards whose SQL differs per engine (the overlap guard: triggers vs an exclusion constraint;
      // append-only history). Declaring them here, on this discovery's own copy of the metadata, lets
      // the schema diff see them; new arrays, never pushes, so the shared schema stays engine-neutral
      // for the other engine in the same process.
      onMetadata: (meta) => {
        const guards = engineGuards.get(meta.class)?.map((guard) => guard[target.dialect]);
        if (!guards) return;
        meta.checks = [...(meta.checks ?? []), ...guards.flatMap((guard) => guard.checks)];
        meta.triggers = [...(meta.triggers ?? []), ...guards.flatMap((guard) => guard.triggers)];
      },
    },
    allowGlobalContext: false,
  } satisfies Partial<Options>;
  return target.dialect === 'sqlite'
    ? { ...common, driver: SqliteDriver, dbName: target.path }
    : {
        ...common,
        driver: PostgreSqlDriver,
        clientUrl: target.url,
        pool: { min: 0, max: 10 },
        driverOptions: { ...postgresConnectionOptions(bound?.ms), ...(bound && { Client: boundedClient(bound) }) },
      };
}

/** Readiness answers within this, whatever the database does. */
const READY_TIMEOUT_MS = 2_000;

/** SQLite and PostgreSQL behind one API. MikroORM stays inside this package. */
export class Database {
  readonly dialect: DatabaseTarget['dialect'];
  readonly #orm: MikroORM;
  readonly #engine: Engine;
  /** Statements outside any request's transaction. */
  readonly #sql: Runner;

  private constructor(orm: MikroORM, engine: Engine) {
    this.#orm = orm;
    this.#engine = engine;
    this.dialect = engine.dialect;
    this.#sql = new Runner(orm.em.fork(), engine);
  }

  /**
   * Connects and, unless told not to, applies pending migrations (never `schema:update`). On
   * PostgreSQL every query must be answered within `queryTimeoutMs`, or fails as unavailable and
   * its connection is closed; migrations alone may take as long as they need.
   */
  static async open(target: DatabaseTarget, { migrate = true, queryTimeoutMs = DEFAULT_QUERY_TIMEOUT_MS } = {}): Promise<Database> {
    if (target.dialect === 'sqlite' && target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
    const bound = { ms: queryTimeoutMs };
    const orm = await MikroORM.init(ormOptions(target, bound));
    const engine = await openEngine(orm, target);
    if (migrate) await (target.dialect === 'sqlite' ? orm.migrator.up() : migrateUnbounded(orm, bound));
    return new Database(orm, engine);
  }

  fork(): Repositories {
    return repositories(this.#orm.em.fork(), this.#engine);
  }

  /** Runs `work` in one transaction; everything it writes commits or rolls back together. */
  async transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.#orm.em.fork().transactional((em) => work(repositories(em, this.#engine)));
  }

  /**
   * Whether the database answers `select 1` within `timeoutMs`: a real round trip, so a dropped
   * server shows here even while the ORM still counts itself connected. Never throws.
   */
  async isReady(timeoutMs = READY_TIMEOUT_MS): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const probe = this.#orm.checkConnection().then((check) => check.ok, () => false);
    try {
      return await Promise.race([probe, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The committed schedule version of a staff member (0 before anything was recorded); see
   * schedule-version.entity.ts. Every slots request reads it, so on a SQLite file it is read
   * synchronously on a connection of its own.
   */
  async scheduleVersion(staffId: number): Promise<number> {
    return (await this.#sql.committed(SCHEDULE_VERSION, [staffId]))?.version ?? 0;
  }

  /**
   * What a service's slots depend on (ServiceSlotState), committed, in one read; null for an unknown
   * service. Every slots-by-service request reads it, as scheduleVersion for one staff member's.
   */
  async serviceSlotState(serviceId: number, staffId: number | null): Promise<ServiceSlotState | null> {
    const row = await this.#sql.committed(SERVICE_SLOT_STATE, [staffId, serviceId]);
    if (!row) return null;
    const service = {
      id: serviceId,
      durationMinutes: row.duration_minutes,
      bufferBeforeMinutes: row.buffer_before_minutes,
      bufferAfterMinutes: row.buffer_after_minutes,
      capacity: row.capacity,
      isActive: Boolean(row.is_active),
    };
    // Who offers it is fixed for one service version, and schedule versions only grow: an equal sum means none moved.
    const fingerprint = `${row.version}/${row.staff_versions ?? ''}`;
    return { service, version: row.version, fingerprint };
  }

  /** SQL that would bring the schema in line with the entities; empty when migrations match. */
  async pendingSchemaDiff(): Promise<string> {
    return this.#orm.schema.getUpdateSchemaSQL({ wrap: false });
  }

  async close(): Promise<void> {
    this.#engine.close();
    await this.#orm.close(true);
  }
}
