import type { User } from './user.ts';

/** A user as every face of the system shows it (seed field names; never the password): the API's answers and the webhooks' `data`. */
export function userWire(user: User) {
  return {
    id: user.id,
    email: user.email,
    full_name: user.fullName,
    role: user.role,
    is_active: user.isActive,
    timezone: user.timezone,
    locale: user.locale,
    email_verified: user.emailVerified,
    no_show_count: user.noShowCount,
    completed_count: user.completedCount,
    is_blocked: user.isBlocked,
    created_at: user.createdAt.toISOString(),
  };
}

export type UserWire = ReturnType<typeof userWire>;
