import { roleForRegistration, type User } from '@appointments/domain';
import { hashPassword } from '../../auth/passwords.ts';
import type { Context } from '../../context.ts';
import { toUserOutput } from '../users/user.schema.ts';
import type { z } from 'zod';
import type { registerInput } from './register.schema.ts';

export async function registerHandler({
  ctx,
  input,
}: {
  ctx: Context & { user: User | null };
  input: z.output<typeof registerInput>;
}) {
  const role = roleForRegistration(ctx.user, input.role);
  const user = await ctx.repos.users.create({
    email: input.email,
    fullName: input.full_name,
    role,
    passwordHash: await hashPassword(input.password),
    timezone: input.timezone ?? ctx.services.settings.defaultTimezone,
  });
  ctx.services.logger.info({ userId: user.id, role }, 'user registered');
  return toUserOutput(user);
}
