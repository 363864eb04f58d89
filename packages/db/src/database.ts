import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MikroORM, type EntityManager, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import { boundedClient, type QueryBound } from './bounded-client.ts';
import type { DatabaseTarget } from './database-url.ts';
import { busyGuardOf, type BusyGuard, type BusyNative } from './sqlite-busy.ts';
import { AppointmentEventEntity, AppointmentEventSchema, appointmentEventGuards } from './appointments/appointment-event.entity.ts';
import { AppointmentEventRepository } from './appointments/appointment-event.repository.ts';
import { AppointmentEntity, AppointmentSchema, appointmentGuards, type EngineGuards } from './appointments/appointment.entity.ts';
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
import { SessionSchema } from './sessions/session.entity.ts';
import { SessionRepository } from './sessions/session.repository.ts';
import { ScheduleVersionSchema, scheduleVersionBumps } from './schedule-versions/schedule-version.entity.ts';
import { StaffSettingsEntity, StaffSettingsSchema } from './staff-settings/staff-settings.entity.ts';
import { StaffSettingsRepository } from './staff-settings/staff-settings.repository.ts';
import { UserEventSchema } from './users/user-event.entity.ts';
import { UserEventRepository } from './users/user-event.repository.ts';
import { UserEntity, UserSchema } from './users/user.entity.ts';
import { UserRepository } from './users/user.repository.ts';

export const entities = [
  UserSchema,
  UserEventSchema,
  SessionSchema,
  AvailabilitySchema,
  StaffSettingsSchema,
  AppointmentSchema,
  AppointmentEventSchema,
  IdempotencyKeySchema,
  CalendarFeedSchema,
  NotificationSchema,
  ScheduleVersionSchema,
  AttemptWindowSchema,
];

/** Per-engine checks and triggers, by the entity class they belong to. */
const engineGuards = new Map<unknown, EngineGuards[]>([
  [AppointmentEntity, [appointmentGuards, scheduleVersionBumps('appointments', 'staff_id', 'schedule')]],
  [AppointmentEventEntity, [appointmentEventGuards]],
  [AvailabilityEntity, [scheduleVersionBumps('availability', 'staff_id')]],
  [StaffSettingsEntity, [scheduleVersionBumps('staff_settings', 'staff_id')]],
  // Zone, role and active flag decide a staff member's slots; any update bumps (rare, and never wrong).
  [UserEntity, [scheduleVersionBumps('users', 'id')]],
]);

/** Repositories sharing one forked EntityManager: one set per request or job, never shared. */
export interface Repositories {
  readonly users: UserRepository;
  readonly userEvents: UserEventRepository;
  readonly sessions: SessionRepository;
  readonly availability: AvailabilityRepository;
  readonly staffSettings: StaffSettingsRepository;
  readonly appointments: AppointmentRepository;
  readonly appointmentEvents: AppointmentEventRepository;
  readonly idempotency: IdempotencyRepository;
  readonly attemptWindows: AttemptWindowRepository;
  readonly calendarFeeds: CalendarFeedRepository;
  readonly notifications: NotificationRepository;
}

function repositories(em: EntityManager): Repositories {
  return {
    users: new UserRepository(em),
    userEvents: new UserEventRepository(em),
    sessions: new SessionRepository(em),
    availability: new AvailabilityRepository(em),
    staffSettings: new StaffSettingsRepository(em),
    appointments: new AppointmentRepository(em),
    appointmentEvents: new AppointmentEventRepository(em),
    idempotency: new IdempotencyRepository(em),
    attemptWindows: new AttemptWindowRepository(em),
    calendarFeeds: new CalendarFeedRepository(em),
    notifications: new NotificationRepository(em),
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

/** How long a PostgreSQL connect (or a wait for a pooled connection) may take before the request fails as unavailable. */
const CONNECT_TIMEOUT_MS = 3_000;
/** An idle connection is probed after this long without traffic (then every second, by Node), so one to a vanished host is dropped in under a minute, not the OS's 2 hours. */
const KEEPALIVE_DELAY_MS = 10_000;
/** How long one PostgreSQL query may take, by default: with the connect timeout, every request is answered within 10 s. */
export const DEFAULT_QUERY_TIMEOUT_MS = 5_000;

/**
 * pg's connection settings for every pool of ours (the app's and the worker's queue). Without a
 * connect timeout a request waits for a connection (or a free pool slot) as long as the OS keeps
 * trying: during an outage that is minutes, not an answer. With `statementMs`, the server protects
 * itself too, as the connection opens: a statement we stopped waiting for is cancelled after that
 * long (statement_timeout), and a session idle in a transaction for twice that is ended
 * (idle_in_transaction_session_timeout), giving back its locks: one whose client gave up over a
 * hung network would otherwise hold them until TCP notices, hours. None of our transactions waits
 * between its statements for anything but the database.
 */
export function postgresConnectionOptions(statementMs?: number) {
  return {
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    ...(statementMs && { statement_timeout: statementMs, idle_in_transaction_session_timeout: 2 * statementMs }),
  };
}
/** Readiness answers within this, whatever the database does. */
const READY_TIMEOUT_MS = 2_000;

interface PreparingDatabase extends BusyNative {
  prepare(sql: string): unknown;
}

/** The part of better-sqlite3 the version reader uses. */
interface NativeSqlite {
  prepare(sql: string): { get(...params: unknown[]): unknown };
  close(): void;
}

const SCHEDULE_VERSION_SQL = 'select version from schedule_versions where staff_id = ?';

/**
 * A staff member's schedule version, read on a connection of its own: every slots request reads it,
 * so it must cost microseconds, and it must see committed data only, never the shared connection's
 * open transaction. WAL readers never wait for the writer. The constructor is taken from the ORM's
 * own connection so both are the same SQLite copy (two copies in one process break file locking).
 */
function sqliteVersionReader(native: PreparingDatabase, path: string): { read: (staffId: number) => number; close: () => void } {
  const Native = native.constructor as new (path: string, options: { readonly: boolean; fileMustExist: boolean }) => NativeSqlite;
  // Opened on first use: processes that never read versions (the worker) never open it.
  let reader: { connection: NativeSqlite; statement: ReturnType<NativeSqlite['prepare']> } | undefined;
  return {
    read(staffId) {
      if (!reader) {
        const connection = new Native(path, { readonly: true, fileMustExist: true });
        reader = { connection, statement: connection.prepare(SCHEDULE_VERSION_SQL) };
      }
      return (reader.statement.get(staffId) as { version: number } | undefined)?.version ?? 0;
    },
    close: () => reader?.connection.close(),
  };
}

/** Distinct SQL texts kept prepared; `$in` lists of varying length make new texts, so the cache is bounded. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every statement anew on every query, and with better-sqlite3
 * that parse-and-plan was ~8% of the API's CPU on the slots and booking paths (bench/). Statements
 * are stateless between synchronous `all()`/`run()` calls (nothing here iterates or changes a
 * statement's mode), so the same text reuses the same statement; least recently used ones go.
 */
function reusePreparedStatements(db: PreparingDatabase): void {
  const prepare = db.prepare.bind(db);
  const guard = busyGuardOf(db);
  const cache = new Map<string, unknown>();
  db.prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = observedBy(guard, prepare(sql) as RunnableStatement);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    } else {
      cache.delete(sql);
    }
    cache.set(sql, statement);
    return statement;
  };
}

type Run = (...params: unknown[]) => unknown;
interface RunnableStatement {
  readonly readonly: boolean;
  run: Run;
  all: Run;
  get: Run;
}

/** The statement, its runs seen by the busy guard (sqlite-busy.ts); one that writes and succeeds shows the lock free. */
function observedBy(guard: BusyGuard, statement: RunnableStatement): RunnableStatement {
  for (const method of ['run', 'all', 'get'] as const) {
    const original = statement[method].bind(statement);
    statement[method] = (...params) => guard.observe(() => original(...params), !statement.readonly);
  }
  return statement;
}

/**
 * Applies pending migrations in one transaction, free of the query timeouts: building an index on
 * a large table may take minutes, and nothing is served before they are done.
 */
async function migrateUnbounded(orm: MikroORM, dialect: DatabaseTarget['dialect'], bound: QueryBound): Promise<void> {
  if (dialect === 'sqlite') return void (await orm.migrator.up());
  const limit = bound.ms;
  bound.ms = 0;
  try {
    const connection = orm.em.getConnection();
    await connection.transactional(async (transaction) => {
      for (const setting of ['statement_timeout', 'idle_in_transaction_session_timeout']) {
        await connection.execute(`set local ${setting} = 0`, [], 'run', transaction);
      }
      await orm.migrator.up({ transaction });
    });
  } finally {
    bound.ms = limit;
  }
}

/** SQLite and PostgreSQL behind one API. MikroORM stays inside this package. */
export class Database {
  readonly dialect: DatabaseTarget['dialect'];
  readonly #orm: MikroORM;
  readonly #versions: ReturnType<typeof sqliteVersionReader> | undefined;

  private constructor(orm: MikroORM, dialect: DatabaseTarget['dialect'], versions?: ReturnType<typeof sqliteVersionReader>) {
    this.#orm = orm;
    this.dialect = dialect;
    this.#versions = versions;
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
    const native = target.dialect === 'sqlite' ? ((await orm.em.getConnection().getNativeClient()) as PreparingDatabase) : undefined;
    if (native) {
      // WAL lets readers run beside the writer; NORMAL is durable across app crashes in WAL mode.
      const connection = orm.em.getConnection();
      await connection.execute('pragma journal_mode = WAL');
      await connection.execute('pragma synchronous = NORMAL');
      // Checkpoint every ~16 MB of WAL, not SQLite's default 4 MB: a booking dirties a dozen pages
      // across five tables and their indexes; rarer checkpoints copy a page written many times once
      // and fsync less often (on the event loop: better-sqlite3 is synchronous). Booking writes
      // measured ~20-30% less wall time, ~10% less CPU.
      await connection.execute('pragma wal_autocheckpoint = 4000');
      reusePreparedStatements(native);
    }
    if (migrate) await migrateUnbounded(orm, target.dialect, bound);
    // An in-memory database exists on one connection only: its versions are read through the ORM.
    const versions = native && target.dialect === 'sqlite' && target.path !== ':memory:' ? sqliteVersionReader(native, target.path) : undefined;
    return new Database(orm, target.dialect, versions);
  }

  fork(): Repositories {
    return repositories(this.#orm.em.fork());
  }

  /** Runs `work` in one transaction; everything it writes commits or rolls back together. */
  async transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.#orm.em.fork().transactional((em) => work(repositories(em)));
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

  /** The committed schedule version of a staff member (0 before anything was recorded); see schedule-version.entity.ts. */
  async scheduleVersion(staffId: number): Promise<number> {
    if (this.#versions) return this.#versions.read(staffId);
    const [row] = await this.#orm.em.getConnection().execute<{ version: number }[]>(SCHEDULE_VERSION_SQL, [staffId]);
    return row?.version ?? 0;
  }

  /** SQL that would bring the schema in line with the entities; empty when migrations match. */
  async pendingSchemaDiff(): Promise<string> {
    return this.#orm.schema.getUpdateSchemaSQL({ wrap: false });
  }

  async close(): Promise<void> {
    this.#versions?.close();
    await this.#orm.close(true);
  }
}
