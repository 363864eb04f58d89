import { DomainError, normalizeEmail } from '@appointments/domain';
import type { z } from 'zod';
import { verifyPassword } from '../../auth/passwords.ts';
import { createSession } from '../../auth/sessions.ts';
import { passwordCheckKeys } from '../../auth/throttle.ts';
import type { HandlerOptions, PublicContext } from '../../trpc.ts';
import type { loginInput, loginOutput } from './login.schema.ts';

export async function loginHandler({ ctx, input }: HandlerOptions<PublicContext, typeof loginInput>): Promise<z.output<typeof loginOutput>> {
  const { throttle, settings } = ctx.services;
  const email = normalizeEmail(input.email);
  // Counted before the check, so parallel guesses cannot all slip under the limit.
  const keys = passwordCheckKeys(settings.limits, ctx.clientAddress, email);
  await throttle.acquire(keys, ctx.now.getTime(), 'Too many failed login attempts');

  let credentials: Awaited<ReturnType<typeof ctx.repos.users.findCredentials>>;
  try {
    credentials = await ctx.repos.users.findCredentials(email);
  } catch (error) {
    // The database failed, not the password: retries during an outage must not lock the account.
    await throttle.release(keys);
    throw error;
  }
  // Unknown email and wrong password: same work, same answer.
  // A guest who never set a password has none to match: the same answer, after the same work.
  if (!(await verifyPassword(credentials?.passwordHash, input.password)) || !credentials) {
    throw new DomainError('AUTH.INVALID_CREDENTIALS', 'Incorrect email or password');
  }
  await throttle.release(keys);
  if (!credentials.user.isActive) throw new DomainError('AUTH.INACTIVE_USER', 'This account is deactivated');

  const { token } = await createSession(ctx.repos, credentials.user.id, ctx.now, settings.sessionLifetimeMs);
  return { access_token: token, token_type: 'bearer' };
}
