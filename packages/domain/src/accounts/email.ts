import { oneLine } from '../notifications/email.ts';
import { ACCOUNT_TOKEN_LIFETIME_MS, type AccountTokenPurpose } from './account-token.ts';

/** Every word of the account emails, in English (one object, for a catalogue of languages to take over). */
export const ACCOUNT_EMAIL_TEXT = {
  password_reset: {
    subject: 'Reset your password',
    headline: 'Someone asked to set a new password for your account.',
    action: 'Choose a new password',
    ignore: 'If that was not you, ignore this email: your password stays as it is.',
  },
  verify_email: {
    subject: 'Confirm your email address',
    headline: 'Please confirm that this address is yours.',
    action: 'Confirm my email address',
    ignore: 'If you did not sign up, ignore this email.',
  },
  validity: (minutes: number) => (minutes % 60 === 0 ? `The link works once, for ${minutes / 60} hour${minutes === 60 ? '' : 's'}.` : `The link works once, for ${minutes} minutes.`),
  footer: 'Sent by the appointment system.',
} as const;

/** What an account email says, as plain data its template lays out. */
export interface AccountEmailContent {
  readonly kind: AccountTokenPurpose;
  readonly subject: string;
  readonly headline: string;
  readonly recipient: { readonly name: string; readonly email: string };
  readonly link: string;
  readonly action: string;
  readonly validity: string;
  readonly ignore: string;
  readonly footer: string;
}

export function composeAccountEmail(kind: AccountTokenPurpose, recipient: { readonly name: string; readonly email: string }, link: string): AccountEmailContent {
  const text = ACCOUNT_EMAIL_TEXT[kind];
  return {
    kind,
    subject: text.subject,
    headline: text.headline,
    recipient: { name: oneLine(recipient.name), email: recipient.email },
    link,
    action: text.action,
    validity: ACCOUNT_EMAIL_TEXT.validity(ACCOUNT_TOKEN_LIFETIME_MS[kind] / 60_000),
    ignore: text.ignore,
    footer: ACCOUNT_EMAIL_TEXT.footer,
  };
}
