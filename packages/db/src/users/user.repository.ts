import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError, type Role, type User } from '@appointments/domain';
import { pageOf, type Page, type PageStart } from '../page.ts';
import type { Runner } from '../runner/index.ts';
import { CREDENTIALS, INSERT_USER, LOCK_USER, PASSWORD_HASH, SET_COUNTERS, TAKE_WRITE_LOCK, USER_BY_EMAIL, USER_BY_ID, userList, userUpdate } from '../sql/users.ts';
import { userFromRow } from './user.row.ts';

export interface NewUser {
  readonly email: string;
  readonly fullName: string;
  readonly role: Role;
  /** Null: no password yet (a guest). */
  readonly passwordHash: string | null;
  readonly timezone: string;
  readonly locale?: string | null;
}

export type UserChanges = Partial<{
  fullName: string;
  timezone: string;
  locale: string | null;
  emailVerified: boolean;
  role: Role;
  isActive: boolean;
  isBlocked: boolean;
  passwordHash: string;
}>;

/** The no-show and completion counters and the block they lead to; the domain computes them. */
export interface ClientCounters {
  readonly noShowCount: number;
  readonly completedCount: number;
  readonly isBlocked: boolean;
}

/** What the column holds for a user without a password (see the entity). */
const NO_PASSWORD = '';

const notFound = (id: number) => new DomainError('USER.NOT_FOUND', `User ${id} not found`);

/** The only place that reads or writes users; everything it returns is plain data. */
export class UserRepository {
  readonly #sql: Runner;
  /** @internal Built by Database only. */
  constructor(sql: Runner) {
    this.#sql = sql;
  }

  async create(data: NewUser): Promise<User> {
    const now = new Date();
    try {
      const { rows } = await this.#sql.run(INSERT_USER, [data.email, data.fullName, data.role, data.passwordHash ?? NO_PASSWORD, data.timezone, data.locale ?? null, now, now]);
      return userFromRow(rows[0]!);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new DomainError('USER.EMAIL_TAKEN', 'A user with this email already exists');
      }
      throw error;
    }
  }

  async findById(id: number): Promise<User | null> {
    const [row] = (await this.#sql.run(USER_BY_ID, [id])).rows;
    return row ? userFromRow(row) : null;
  }

  /** By email as stored (the schemas lower-case it). */
  async findByEmail(email: string): Promise<User | null> {
    const [row] = (await this.#sql.run(USER_BY_EMAIL, [email])).rows;
    return row ? userFromRow(row) : null;
  }

  /** For authentication only: the one read that returns the password hash. */
  async findCredentials(email: string): Promise<{ user: User; passwordHash: string | null } | null> {
    const [row] = (await this.#sql.run(CREDENTIALS, [email])).rows;
    return row ? { user: userFromRow(row), passwordHash: row.password_hash || null } : null;
  }

  async passwordHash(id: number): Promise<string | null> {
    const [row] = (await this.#sql.run(PASSWORD_HASH, [id])).rows;
    return row?.password_hash || null;
  }

  /** By id. */
  async list(start: PageStart): Promise<Page<User>> {
    return pageOf((await this.#sql.run(...userList.page(start))).rows, start.limit, userFromRow);
  }

  async count(): Promise<number> {
    return Number((await this.#sql.run(...userList.count({}))).rows[0]!.total);
  }

  /** Absent fields mean "leave as is", never "set to undefined". */
  async update(id: number, changes: UserChanges): Promise<User> {
    const { rows } = Object.values(changes).some((value) => value !== undefined)
      ? await this.#sql.run(...userUpdate(id, changes, new Date()))
      : await this.#sql.run(USER_BY_ID, [id]);
    if (!rows[0]) throw notFound(id);
    return userFromRow(rows[0]);
  }

  /**
   * Reads the user and keeps others from changing them until the surrounding transaction ends, so
   * a read-modify-write of the counters cannot lose a concurrent one. Only inside `Database.transaction`.
   *
   * PostgreSQL: `select … for update` locks the row. SQLite has no row locks, and MikroORM begins
   * transactions DEFERRED. Within one process that is moot: Kysely runs them one after another on
   * SQLite's single connection. Across processes, a deferred transaction that read first fails
   * with SQLITE_BUSY_SNAPSHOT when it tries to write after another committed. So a write that
   * matches no row comes first and takes the database's write lock, as `begin immediate` would:
   * the other process waits for it (busy timeout) and then reads fresh data. (If the transaction
   * already read something earlier, SQLite still refuses rather than lose an update.)
   */
  async lockForUpdate(id: number): Promise<User> {
    if (!this.#sql.inTransaction) throw new Error('lockForUpdate needs a transaction (Database.transaction)');
    await this.#sql.run(TAKE_WRITE_LOCK, []);
    const [row] = (await this.#sql.run(LOCK_USER, [id])).rows;
    if (!row) throw notFound(id);
    return userFromRow(row);
  }

  /** Writes counters the domain computed, normally from a `lockForUpdate` read in the same transaction. */
  async setCounters(id: number, counters: ClientCounters): Promise<User> {
    const [row] = (await this.#sql.run(SET_COUNTERS, [counters.noShowCount, counters.completedCount, counters.isBlocked, new Date(), id])).rows;
    if (!row) throw notFound(id);
    return userFromRow(row);
  }
}
