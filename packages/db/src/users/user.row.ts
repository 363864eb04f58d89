import type { User } from '@appointments/domain';
import { toDate } from '../runner/index.ts';
import type { UserRow } from '../sql/users.ts';

export function userFromRow(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    fullName: row.full_name,
    role: row.role,
    isActive: Boolean(row.is_active),
    timezone: row.timezone,
    locale: row.locale,
    emailVerified: Boolean(row.email_verified),
    noShowCount: row.no_show_count,
    completedCount: row.completed_count,
    isBlocked: Boolean(row.is_blocked),
    createdAt: toDate(row.created_at),
  };
}
