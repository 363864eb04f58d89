import { DomainError } from '@appointments/domain';
import type { z } from 'zod';
import { verifyPassword } from '../../auth/passwords.ts';
import { createSession } from '../../auth/sessions.ts';
import type { Context } from '../../context.ts';
import type { loginInput, loginOutput } from './login.schema.ts';

export async function loginHandler({
  ctx,
  input,
}: {
  ctx: Context;
  input: z.output<typeof loginInput>;
}): Promise<z.output<typeof loginOutput>> {
  const { throttle, settings } = ctx.services;
  const email = input.username.trim().toLowerCase();
  const now = ctx.now.getTime();
  throttle.assertAllowed(ctx.clientAddress, email, now);

  const credentials = await ctx.repos.users.findCredentials(email);
  // Unknown email and wrong password: same work, same answer.
  if (!(await verifyPassword(credentials?.passwordHash, input.password)) || !credentials) {
    throttle.recordFailure(ctx.clientAddress, email, now);
    throw new DomainError('AUTH.INVALID_CREDENTIALS', 'Incorrect email or password');
  }
  if (!credentials.user.isActive) throw new DomainError('AUTH.INACTIVE_USER', 'This account is deactivated');
  throttle.recordSuccess(email);

  const { token } = await createSession(ctx.repos, credentials.user.id, ctx.now, settings.sessionLifetimeMs);
  return { access_token: token, token_type: 'bearer' };
}
