import { roleForRegistration } from '@appointments/domain';
import { hashPassword } from '../../auth/passwords.ts';
import { registrationKeys } from '../../auth/throttle.ts';
import { sendAccountLink } from '../../auth/account-links.ts';
import type { HandlerOptions, OptionalAuthContext } from '../../trpc.ts';
import { toUserOutput } from '../users/user.schema.ts';
import type { registerInput } from './register.schema.ts';

export async function registerHandler({ ctx, input }: HandlerOptions<OptionalAuthContext, typeof registerInput>) {
  const role = roleForRegistration(ctx.user, input.role);
  // Each sign-up costs an Argon2 hash: limit them per address (admins creating accounts are exempt).
  if (ctx.user?.role !== 'admin') {
    await ctx.services.throttle.acquire(registrationKeys(ctx.services.settings.limits, ctx.clientAddress), ctx.now.getTime(), 'Too many sign-ups from this address');
  }
  const passwordHash = await hashPassword(input.password);
  const user = await ctx.services.db.transaction(async (repos) => {
    const created = await repos.users.create({
      email: input.email,
      fullName: input.full_name,
      role,
      passwordHash,
      timezone: input.timezone ?? ctx.services.settings.defaultTimezone,
      locale: input.locale ?? null,
    });
    // A client proves their address from the start (REQUIRE_VERIFIED_EMAIL may ask it of them to book).
    if (role === 'client') await sendAccountLink(repos, ctx.services.settings, 'verify_email', created.email, ctx.now);
    return created;
  });
  ctx.services.logger.info({ userId: user.id, role }, 'user registered');
  return toUserOutput(user);
}
