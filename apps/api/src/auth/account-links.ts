import { ACCOUNT_TOKEN_LIFETIME_MS, accountLink, tokenRefusal, usableToken, type AccountToken, type AccountTokenPurpose } from '@appointments/domain';
import type { Repositories } from '@appointments/db';
import type { Services } from '../context.ts';
import { generateToken, hashToken } from './tokens.ts';

/** The API's own page of each kind of link (GET answers whether it still works). */
const LINK_PATHS: Readonly<Record<AccountTokenPurpose, string>> = {
  password_reset: '/api/v1/auth/password-reset',
  verify_email: '/api/v1/auth/verify-email',
};

/**
 * Issues a single-use link of `purpose` to the active account with `email` and queues the email
 * that carries it, in `repos`' transaction; the same work whether or not there is such an account.
 */
export async function sendAccountLink(repos: Repositories, settings: Services['settings'], purpose: AccountTokenPurpose, email: string, now: Date): Promise<boolean> {
  const token = generateToken();
  const link = accountLink(token, settings.publicUrl, LINK_PATHS[purpose], settings.accountLinks[purpose]);
  const expiresAt = new Date(now.getTime() + ACCOUNT_TOKEN_LIFETIME_MS[purpose]);
  return repos.accountTokens.issue(email, { id: hashToken(token), purpose, expiresAt, link }, now);
}

/** The token as stored, if it may still be used (404 never issued, 410 used or expired). */
export async function readAccountToken(repos: Repositories, token: string, purpose: AccountTokenPurpose, now: Date): Promise<AccountToken> {
  return usableToken(await repos.accountTokens.find(hashToken(token)), purpose, now.getTime());
}

/** Uses the token (once: a racing request gets 410); its user's id. */
export async function spendAccountToken(repos: Repositories, token: string, purpose: AccountTokenPurpose, now: Date): Promise<number> {
  const id = hashToken(token);
  const userId = await repos.accountTokens.spend(id, purpose, now);
  if (userId === null) throw tokenRefusal(await repos.accountTokens.find(id), purpose);
  return userId;
}
