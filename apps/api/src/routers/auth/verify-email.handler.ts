import type { z } from 'zod';
import { readAccountToken, sendAccountLink, spendAccountToken } from '../../auth/account-links.ts';
import { accountEmailKeys } from '../../auth/throttle.ts';
import type { HandlerOptions, PublicContext, SessionContext } from '../../trpc.ts';
import type { accountTokenInput, accountTokenOutput } from './account-links.schema.ts';

/** Emails the signed-in user a verification link, unless their address is verified already. */
export async function requestEmailVerificationHandler({ ctx }: { ctx: SessionContext }): Promise<void> {
  const { throttle, settings } = ctx.services;
  await throttle.acquire(accountEmailKeys(settings.limits, ctx.clientAddress, `user:${ctx.user.id}`), ctx.now.getTime(), 'Too many verification emails');
  if (!ctx.user.emailVerified) await sendAccountLink(ctx.repos, settings, 'verify_email', ctx.user.email, ctx.now);
}

export async function emailVerificationStatusHandler({ ctx, input }: HandlerOptions<PublicContext, typeof accountTokenInput>): Promise<z.output<typeof accountTokenOutput>> {
  const token = await readAccountToken(ctx.repos, input.token, 'verify_email', ctx.now);
  return { expires_at: new Date(token.expiresAt).toISOString() };
}

/** Marks the address of the link's user verified; no sign-in needed (the link is the proof). */
export async function confirmEmailVerificationHandler({ ctx, input }: HandlerOptions<PublicContext, typeof accountTokenInput>): Promise<void> {
  await ctx.services.db.transaction(async (repos) => {
    const userId = await spendAccountToken(repos, input.token, 'verify_email', ctx.now);
    await repos.users.update(userId, { emailVerified: true });
  });
}
