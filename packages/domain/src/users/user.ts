import { z } from 'zod';
import { writtenText } from '../text/written.ts';

export const ROLES = ['admin', 'staff', 'client'] as const;
export type Role = (typeof ROLES)[number];

/** A user as the rest of the system sees it: plain data, never the password hash. */
export interface User {
  readonly id: number;
  readonly email: string;
  readonly fullName: string;
  readonly role: Role;
  readonly isActive: boolean;
  readonly timezone: string;
  /** BCP 47 language tag; null: the system's DEFAULT_LOCALE. */
  readonly locale: string | null;
  /** They followed a link sent to their address. */
  readonly emailVerified: boolean;
  readonly noShowCount: number;
  readonly completedCount: number;
  readonly isBlocked: boolean;
  readonly createdAt: Date;
}

export const PASSWORD_MIN_LENGTH = 8;
/** Argon2 hashes anything, but unbounded input is a cheap DoS; 256 is far beyond any passphrase. */
export const PASSWORD_MAX_LENGTH = 256;

/** The one spelling of an email the system stores and compares: trimmed, lower case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'Invalid email address' }))
  .transform(normalizeEmail);

export const fullNameSchema = writtenText(z.string().trim().min(1, 'Full name is required').max(200), 'Full name', 'one');

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH);

/** An IANA zone name Intl knows. Raw offsets ("+02:00") are refused: they carry no DST rules. */
export function isValidTimeZone(zone: string): boolean {
  if (/^[+-]/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone as ICU names it ("utc" → "UTC"), so equal zones are stored equally. */
export function canonicalTimeZone(zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

export const timezoneSchema = z
  .string()
  .max(64)
  .refine(isValidTimeZone, 'Unknown IANA time zone')
  .transform(canonicalTimeZone);

export const roleSchema = z.enum(ROLES);

/** A BCP 47 language tag Intl knows, canonicalised ("de-de" → "de-DE"). */
export const localeSchema = z
  .string()
  .trim()
  .min(2)
  .max(35)
  .transform((tag, ctx) => {
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical) return canonical;
    } catch {
      // refused below
    }
    ctx.addIssue({ code: 'custom', message: 'Unknown locale: a BCP 47 language tag such as "en" or "de-DE"' });
    return z.NEVER;
  });
