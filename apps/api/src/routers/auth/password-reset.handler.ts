import type { z } from 'zod';
import { hashPassword } from '../../auth/passwords.ts';
import { accountEmailKeys } from '../../auth/throttle.ts';
import { readAccountToken, sendAccountLink, spendAccountToken } from '../../auth/account-links.ts';
import type { HandlerOptions, PublicContext } from '../../trpc.ts';
import type { accountTokenInput, accountTokenOutput, passwordResetConfirmInput, passwordResetInput } from './account-links.schema.ts';

/**
 * Emails a reset link if the address has an account; the answer, and the work behind it (see
 * sendAccountLink), are the same when it has none, so the answer tells nobody whether it does.
 */
export async function requestPasswordResetHandler({ ctx, input }: HandlerOptions<PublicContext, typeof passwordResetInput>): Promise<void> {
  const { throttle, settings } = ctx.services;
  await throttle.acquire(accountEmailKeys(settings.limits, ctx.clientAddress, input.email), ctx.now.getTime(), 'Too many password reset requests');
  await sendAccountLink(ctx.repos, settings, 'password_reset', input.email, ctx.now);
}

export async function passwordResetStatusHandler({ ctx, input }: HandlerOptions<PublicContext, typeof accountTokenInput>): Promise<z.output<typeof accountTokenOutput>> {
  const token = await readAccountToken(ctx.repos, input.token, 'password_reset', ctx.now);
  return { expires_at: new Date(token.expiresAt).toISOString() };
}

/**
 * Sets the new password (a guest gets their first), marks the address verified (the link proved
 * it), spends every reset link of the user's and ends every session, together.
 */
export async function confirmPasswordResetHandler({ ctx, input }: HandlerOptions<PublicContext, typeof passwordResetConfirmInput>): Promise<void> {
  // Checked first, so a forged token costs no Argon2 hash; spent below, where a racing confirm loses.
  await readAccountToken(ctx.repos, input.token, 'password_reset', ctx.now);
  const passwordHash = await hashPassword(input.new_password);
  const userId = await ctx.services.db.transaction(async (repos) => {
    const id = await spendAccountToken(repos, input.token, 'password_reset', ctx.now);
    await repos.accountTokens.spendAll(id, 'password_reset', ctx.now);
    await repos.users.update(id, { passwordHash, emailVerified: true });
    await repos.sessions.deleteForUser(id);
    return id;
  });
  ctx.services.logger.info({ userId }, 'password reset');
}
