import type { Role, User } from '@appointments/domain';
import { toDate } from '../raw-sql.ts';

/** The columns `userFromRow` reads, from the users table aliased `u`; for raw statements on hot paths. */
export const USER_COLUMNS = 'u.id, u.email, u.full_name, u.role, u.is_active, u.timezone, u.no_show_count, u.completed_count, u.is_blocked, u.created_at';

export interface UserRow {
  readonly id: number;
  readonly email: string;
  readonly full_name: string;
  readonly role: Role;
  /** 0/1 on SQLite. */
  readonly is_active: boolean | number;
  readonly timezone: string;
  readonly no_show_count: number;
  readonly completed_count: number;
  readonly is_blocked: boolean | number;
  readonly created_at: unknown;
}

export function userFromRow(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    fullName: row.full_name,
    role: row.role,
    isActive: Boolean(row.is_active),
    timezone: row.timezone,
    noShowCount: row.no_show_count,
    completedCount: row.completed_count,
    isBlocked: Boolean(row.is_blocked),
    createdAt: toDate(row.created_at),
  };
}
