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

/** Why a token may not be used: never issued (or for another purpose, which reads the same: a verification grants no reset), or spent. */
export function tokenRefusal(token: AccountToken | null, purpose: AccountTokenPurpose): DomainError {
  const refusal = REFUSALS[purpose];
  return !token || token.purpose !== purpose
    ? new DomainError(refusal.unknown, `This ${refusal.what} was never issued`)
    : new DomainError(refusal.spent, `This ${refusal.what} has been used or has expired; ask for a new one`);
}

/** The token if it may be used at `now`: issued for `purpose`, unused and unexpired; otherwise its refusal. */
export function usableToken(token: AccountToken | null, purpose: AccountTokenPurpose, now: Instant): AccountToken {
  if (!token || token.purpose !== purpose || token.usedAt !== null || token.expiresAt <= now) throw tokenRefusal(token, purpose);
  return token;
}

/** A link to a token: `template` with `{token}` replaced, or `{publicUrl}{defaultPath}/{token}`. */
export function accountLink(token: string, publicUrl: string, defaultPath: string, template: string | undefined): string {
  const encoded = encodeURIComponent(token);
  return template ? template.replaceAll('{token}', encoded) : `${publicUrl.replace(/\/+$/, '')}${defaultPath}/${encoded}`;
}
