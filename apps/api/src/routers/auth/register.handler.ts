import { roleForRegistration } from '@appointments/domain';
import { hashPassword } from '../../auth/passwords.ts';
import { registrationKeys } from '../../auth/throttle.ts';
import type { HandlerOptions, OptionalAuthContext } from '../../trpc.ts';
import { toUserOutput } from '../users/user.schema.ts';
import type { registerInput } from './register.schema.ts';

export async function registerHandler({ ctx, input }: HandlerOptions<OptionalAuthContext, typeof registerInput>) {
  const role = roleForRegistration(ctx.user, input.role);
  // Each sign-up costs an Argon2 hash: limit them per address (admins creating accounts are exempt).
  if (ctx.user?.role !== 'admin') {
    await ctx.services.throttle.acquire(registrationKeys(ctx.services.settings.limits, ctx.clientAddress), ctx.now.getTime(), 'Too many sign-ups from this address');
  }
  const user = await ctx.repos.users.create({
    email: input.email,
    fullName: input.full_name,
    role,
    passwordHash: await hashPassword(input.password),
    timezone: input.timezone ?? ctx.services.settings.defaultTimezone,
    locale: input.locale ?? null,
  });
  ctx.services.logger.info({ userId: user.id, role }, 'user registered');
  return toUserOutput(user);
}
