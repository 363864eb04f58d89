import { describe, expect, it } from 'vitest';
import type { DomainError } from '../errors.ts';
import { assertVerifiedToBook } from '../booking/verified.ts';
import { accountLink, usableToken, type AccountToken } from './account-token.ts';
import { composeAccountEmail } from './email.ts';

const now = Date.UTC(2026, 0, 1, 12);
const token: AccountToken = { purpose: 'password_reset', userId: 3, expiresAt: now + 60_000, usedAt: null };
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as DomainError).code;
  }
  return 'allowed';
};

describe('usableToken', () => {
  it('passes a token unused and unexpired', () => {
    expect(usableToken(token, 'password_reset', now)).toBe(token);
  });

  it.each([
    ['never issued', null, 'password_reset', 'AUTH.RESET_TOKEN_NOT_FOUND'],
    ['issued for another purpose', token, 'verify_email', 'AUTH.VERIFY_TOKEN_NOT_FOUND'],
    ['used', { ...token, usedAt: now - 1 }, 'password_reset', 'AUTH.RESET_TOKEN_USED_OR_EXPIRED'],
    ['expired at this instant', { ...token, expiresAt: now }, 'password_reset', 'AUTH.RESET_TOKEN_USED_OR_EXPIRED'],
    ['a used verification', { ...token, purpose: 'verify_email', usedAt: now }, 'verify_email', 'AUTH.VERIFY_TOKEN_USED_OR_EXPIRED'],
  ] as const)('refuses a token %s', (_label, stored, purpose, code) => {
    expect(refusal(() => usableToken(stored, purpose, now))).toBe(code);
  });
});

describe('accountLink', () => {
  it('defaults to the public URL and the path, without doubled slashes', () => {
    expect(accountLink('abc', 'https://api.example.com/', '/api/v1/auth/password-reset', undefined)).toBe('https://api.example.com/api/v1/auth/password-reset/abc');
  });

  it('fills every {token} of a template', () => {
    expect(accountLink('abc', 'http://ignored', '/x', 'https://clinic.example/reset?t={token}#{token}')).toBe('https://clinic.example/reset?t=abc#abc');
  });
});

describe('assertVerifiedToBook', () => {
  it.each([
    [false, 'client', false, 'allowed'],
    [true, 'client', false, 'AUTH.EMAIL_NOT_VERIFIED'],
    [true, 'client', true, 'allowed'],
    // Admins (and API keys, which act as admins) book for clients they vouch for.
    [true, 'admin', false, 'allowed'],
  ] as const)('required %s, a %s verified %s: %s', (required, role, emailVerified, outcome) => {
    expect(refusal(() => assertVerifiedToBook({ role, emailVerified }, required))).toBe(outcome);
  });
});

describe('composeAccountEmail', () => {
  it('says what the link does and for how long, with the name on one line', () => {
    const reset = composeAccountEmail('password_reset', { name: 'Jane\r\nBcc: x', email: 'jane@example.com' }, 'https://x/abc');
    expect(reset).toMatchObject({ subject: 'Reset your password', link: 'https://x/abc', validity: 'The link works once, for 1 hour.', recipient: { name: 'Jane Bcc: x' } });
    expect(composeAccountEmail('verify_email', { name: 'J', email: 'j@example.com' }, 'l').validity).toBe('The link works once, for 24 hours.');
  });
});
