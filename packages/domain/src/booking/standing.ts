import type { User } from '../users/user.ts';

/**
 * What of a user a booking is judged by: who they are, their role and their standing (blocked,
 * and whether they proved their address, for REQUIRE_VERIFIED_EMAIL). A booking
 * decided on a kept session is written only if the user still reads so (the session guard in the db
 * compares these columns, in this order).
 */
export const STANDING_FIELDS = ['id', 'role', 'isActive', 'isBlocked', 'emailVerified'] as const;
export type UserStanding = Pick<User, (typeof STANDING_FIELDS)[number]>;

/** Whether a booking judged on `a` would be judged the same on `b`. */
export const sameStanding = (a: UserStanding, b: UserStanding): boolean => STANDING_FIELDS.every((field) => a[field] === b[field]);
