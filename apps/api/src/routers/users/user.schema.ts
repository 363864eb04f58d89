import { z } from 'zod';
import { roleSchema, type User } from '@appointments/domain';
import { countOutput, idOutput, instantOutput } from '../common.schema.ts';

/** The user as every API face returns it (seed field names); never the password. The example is Jane Client. */
export const userOutput = z
  .object({
    id: idOutput(3),
    email: z.string().meta({ examples: ['client@example.com'] }),
    full_name: z.string().meta({ examples: ['Jane Client'] }),
    role: roleSchema.meta({ examples: ['client'] }),
    is_active: z.boolean().meta({ examples: [true] }),
    timezone: z.string().meta({ description: 'IANA time zone, e.g. Europe/Berlin', examples: ['Europe/Berlin'] }),
    no_show_count: countOutput(0),
    completed_count: countOutput(2),
    is_blocked: z.boolean().meta({ examples: [false] }),
    created_at: instantOutput.meta({ examples: ['2026-01-12T16:40:00.000Z'] }),
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
