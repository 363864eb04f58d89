import { z } from 'zod';
import { roleSchema, type User } from '@appointments/domain';

/** The user as every API face returns it (seed field names); never the password. */
export const userOutput = z
  .object({
    id: z.number().int().positive(),
    email: z.string(),
    full_name: z.string(),
    role: roleSchema,
    is_active: z.boolean(),
    timezone: z.string().meta({ description: 'IANA time zone, e.g. Europe/Berlin' }),
    no_show_count: z.number().int(),
    completed_count: z.number().int(),
    is_blocked: z.boolean(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'User' });

export type UserOutput = z.infer<typeof userOutput>;

export function toUserOutput(user: User): UserOutput {
  return {
    id: user.id,
    email: user.email,
    full_name: user.fullName,
    role: user.role,
    is_active: user.isActive,
    timezone: user.timezone,
    no_show_count: user.noShowCount,
    completed_count: user.completedCount,
    is_blocked: user.isBlocked,
    created_at: user.createdAt.toISOString(),
  };
}
