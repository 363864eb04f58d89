import { DomainError, type ErrorCode } from '../errors.ts';
import type { Instant } from '../scheduling/types.ts';

/** What a single-use account link proves: the right to set a new password, or ownership of the address. */
export const ACCOUNT_TOKEN_PURPOSES = ['password_reset', 'verify_email'] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/** How long a link works: a reset is short-lived (it grants the account); a verification waits for the next look at the inbox. */
export const ACCOUNT_TOKEN_LIFETIME_MS: Readonly<Record<AccountTokenPurpose, number>> = {
  password_reset: 60 * 60_000,
  verify_email: 24 * 3_600_000,
};

/** A token as stored: when it stops working, and when it was used (null: not yet). */
export interface AccountToken {
  readonly purpose: AccountTokenPurpose;
  readonly userId: number;
  readonly expiresAt: Instant;
  readonly usedAt: Instant | null;
}

const REFUSALS: Readonly<Record<AccountTokenPurpose, { readonly unknown: ErrorCode; readonly spent: ErrorCode; readonly what: string }>> = {
  password_reset: { unknown: 'AUTH.RESET_TOKEN_NOT_FOUND', spent: 'AUTH.RESET_TOKEN_USED_OR_EXPIRED', what: 'password reset link' },
  verify_email: { unknown: 'AUTH.VERIFY_TOKEN_NOT_FOUND', spent: 'AUTH.VERIFY_TOKEN_USED_OR_EXPIRED', what: 'email verification link' },
};

/**
 * The token if it may be used at `now`; otherwise why not: never issued (or for another purpose,
 * which reads the same: a verification token grants no reset), or used or expired (gone for good).
 */
export function usableToken(token: AccountToken | null, purpose: AccountTokenPurpose, now: Instant): AccountToken {
  const refusal = REFUSALS[purpose];
  if (!token || token.purpose !== purpose) throw new DomainError(refusal.unknown, `This ${refusal.what} was never issued`);
  if (token.usedAt !== null || token.expiresAt <= now) {
    throw new DomainError(refusal.spent, `This ${refusal.what} has been used or has expired; ask for a new one`);
  }
  return token;
}

/** A link to a token: `template` with `{token}` replaced, or `{publicUrl}{defaultPath}/{token}`. */
export function accountLink(token: string, publicUrl: string, defaultPath: string, template: string | undefined): string {
  const encoded = encodeURIComponent(token);
  return template ? template.replaceAll('{token}', encoded) : `${publicUrl.replace(/\/+$/, '')}${defaultPath}/${encoded}`;
}
