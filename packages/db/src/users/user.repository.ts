import { LockMode, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
// Both drivers hand out @mikro-orm/sql's SqlEntityManager; the sqlite package re-exports its type and the platform.
import { SqlitePlatform, type SqlEntityManager } from '@mikro-orm/sqlite';
import { DomainError, type Role, type User } from '@appointments/domain';
import { execute, Statement } from '../raw-sql.ts';
import { UserEntity } from './user.entity.ts';
import { USER_COLUMNS, userFromRow, type UserRow } from './user.row.ts';

// Raw and prepared: every booking and many other requests read a user by id.
const BY_ID = new Statement<UserRow>(`select ${USER_COLUMNS} from users u where u.id = ?`);

export interface NewUser {
  readonly email: string;
  readonly fullName: string;
  readonly role: Role;
  readonly passwordHash: string;
  readonly timezone: string;
}

export type UserChanges = Partial<{
  fullName: string;
  timezone: string;
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

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
}

export function toUser(entity: UserEntity): User {
  return {
    id: entity.id,
    email: entity.email,
    fullName: entity.fullName,
    role: entity.role,
    isActive: entity.isActive,
    timezone: entity.timezone,
    noShowCount: entity.noShowCount,
    completedCount: entity.completedCount,
    isBlocked: entity.isBlocked,
    createdAt: entity.createdAt,
  };
}

/** The only place that reads or writes users; everything it returns is plain data. */
export class UserRepository {
  readonly #em: SqlEntityManager;
  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager) {
    this.#em = em as SqlEntityManager;
  }

  async create(data: NewUser): Promise<User> {
    const entity = this.#em.create(UserEntity, { ...data, isActive: true, noShowCount: 0, completedCount: 0, isBlocked: false });
    try {
      await this.#em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new DomainError('USER.EMAIL_TAKEN', 'A user with this email already exists');
      }
      throw error;
    }
    return toUser(entity);
  }

  async findById(id: number): Promise<User | null> {
    const [row] = (await execute(this.#em, BY_ID, [id])).rows;
    return row ? userFromRow(row) : null;
  }

  /** For authentication only: the one read that returns the password hash. */
  async findCredentials(email: string): Promise<{ user: User; passwordHash: string } | null> {
    const entity = await this.#em.findOne(UserEntity, { email });
    return entity && { user: toUser(entity), passwordHash: entity.passwordHash };
  }

  async passwordHash(id: number): Promise<string | null> {
    const entity = await this.#em.findOne(UserEntity, { id });
    return entity?.passwordHash ?? null;
  }

  async list(page: { offset: number; limit: number }): Promise<Page<User>> {
    const [entities, total] = await this.#em.findAndCount(
      UserEntity,
      {},
      { orderBy: { id: 'asc' }, offset: page.offset, limit: page.limit },
    );
    return { items: entities.map(toUser), total };
  }

  async update(id: number, changes: UserChanges): Promise<User> {
    const entity = await this.#em.findOne(UserEntity, { id });
    if (!entity) throw new DomainError('USER.NOT_FOUND', `User ${id} not found`);
    // Absent fields mean "leave as is", never "set to undefined".
    this.#em.assign(entity, Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)));
    await this.#em.flush();
    return toUser(entity);
  }

  /**
   * Reads the user and keeps others from changing them until the surrounding transaction ends, so
   * a read-modify-write of the counters cannot lose a concurrent one. Only inside `Database.transaction`.
   *
   * PostgreSQL: `select … for update` locks the row. SQLite has no row locks (MikroORM drops the
   * clause) and MikroORM begins transactions DEFERRED. Within one process that is moot: Kysely runs
   * them one after another on SQLite's single connection. Across processes, a deferred transaction
   * that read first fails with SQLITE_BUSY_SNAPSHOT when it tries to write after another committed.
   * So a write that matches no row comes first and takes the database's write lock, as `begin
   * immediate` would: the other process waits for it (busy timeout) and then reads fresh data. (If
   * the transaction already read something earlier, SQLite still refuses rather than lose an update.)
   */
  async lockForUpdate(id: number): Promise<User> {
    if (!this.#em.isInTransaction()) throw new Error('lockForUpdate needs a transaction (Database.transaction)');
    if (this.#em.getPlatform() instanceof SqlitePlatform) await this.#em.execute('update users set id = id where 0', [], 'run');
    // refresh: the locked read's values win over any copy this fork loaded or changed before.
    const entity = await this.#em.findOne(UserEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!entity) throw new DomainError('USER.NOT_FOUND', `User ${id} not found`);
    return toUser(entity);
  }

  /** Writes counters the domain computed, normally from a `lockForUpdate` read in the same transaction. */
  async setCounters(id: number, counters: ClientCounters): Promise<User> {
    const entity = await this.#em.findOne(UserEntity, { id });
    if (!entity) throw new DomainError('USER.NOT_FOUND', `User ${id} not found`);
    this.#em.assign(entity, { noShowCount: counters.noShowCount, completedCount: counters.completedCount, isBlocked: counters.isBlocked });
    await this.#em.flush();
    return toUser(entity);
  }
}
