import type { Role } from '@appointments/domain';
import { optionalClauses, pagedList } from './clauses.ts';
import { Statement, statementsBy, type Query } from './statement.ts';

const FIELDS = ['id', 'email', 'full_name', 'role', 'is_active', 'timezone', 'locale', 'email_verified', 'no_show_count', 'completed_count', 'is_blocked', 'created_at'];
/** The columns a user is read from (users aliased `u`), in every statement that reads one. */
export const USER_COLUMNS = FIELDS.map((field) => `u.${field}`).join(', ');
/** The same columns, as a write returns them. */
const RETURNING = `returning ${FIELDS.join(', ')}`;

export interface UserRow {
  readonly id: number;
  readonly email: string;
  readonly full_name: string;
  readonly role: Role;
  /** 0/1 on SQLite. */
  readonly is_active: boolean | number;
  readonly timezone: string;
  readonly locale: string | null;
  /** 0/1 on SQLite. */
  readonly email_verified: boolean | number;
  readonly no_show_count: number;
  readonly completed_count: number;
  readonly is_blocked: boolean | number;
  readonly created_at: unknown;
}

/** Values: email, full name, role, password hash, time zone, now. */
export const INSERT_USER = new Statement<UserRow>(
  'insert into users (email, full_name, role, password_hash, is_active, timezone, locale, email_verified, no_show_count, completed_count, is_blocked, created_at, updated_at)' +
    ` values (?, ?, ?, ?, true, ?, ?, false, 0, 0, false, ?, ?) ${RETURNING}`,
);

// Every booking and many other requests read a user by id.
export const USER_BY_ID = new Statement<UserRow>(`select ${USER_COLUMNS} from users u where u.id = ?`);
/** Values: the ids, as a list. */
export const USERS_BY_IDS = new Statement<UserRow>(
  `select ${USER_COLUMNS} from users u where u.id in (select value from json_each(?))`,
  `select ${USER_COLUMNS} from users u where u.id = any(?::int[])`,
);

export const USER_BY_EMAIL = new Statement<UserRow>(`select ${USER_COLUMNS} from users u where u.email = ?`);

/** For authentication only: the one read of a user with their password hash. */
export const CREDENTIALS = new Statement<UserRow & { readonly password_hash: string }>(`select ${USER_COLUMNS}, u.password_hash from users u where u.email = ?`);
export const PASSWORD_HASH = new Statement<{ readonly password_hash: string }>('select password_hash from users where id = ?');

/** Pages of users in id order, and the count of all. */
export const userList = pagedList<UserRow, never>(USER_COLUMNS, 'users u', { columns: ['u.id'] }, []);

const CHANGES = optionalClauses([
  ['fullName', 'full_name = ?'],
  ['timezone', 'timezone = ?'],
  ['locale', 'locale = ?'],
  ['emailVerified', 'email_verified = ?'],
  ['role', 'role = ?'],
  ['isActive', 'is_active = ?'],
  ['isBlocked', 'is_blocked = ?'],
  ['passwordHash', 'password_hash = ?'],
]);
const UPDATE = statementsBy((changed: number) => new Statement<UserRow>(`update users set ${['updated_at = ?', ...CHANGES.clauses(changed)].join(', ')} where id = ? ${RETURNING}`));

/** Sets the fields given (absent ones stay as they are); the user as now, none if there is no such user. */
export function userUpdate(id: number, changes: Parameters<typeof CHANGES.key>[0], now: Date): Query<UserRow> {
  return [UPDATE(CHANGES.key(changes)), [now, ...CHANGES.values(changes), id]];
}

/** Values: no-show count, completed count, blocked, now, id. */
export const SET_COUNTERS = new Statement<UserRow>(`update users set no_show_count = ?, completed_count = ?, is_blocked = ?, updated_at = ? where id = ? ${RETURNING}`);

/** SQLite: a write matching no row, which takes the database's write lock (see lockForUpdate); PostgreSQL locks the row it reads. */
export const TAKE_WRITE_LOCK = new Statement('update users set id = id where 0', null);
export const LOCK_USER = new Statement<UserRow>(`select ${USER_COLUMNS} from users u where u.id = ?`, `select ${USER_COLUMNS} from users u where u.id = ? for update`);
