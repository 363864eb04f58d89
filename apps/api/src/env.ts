import { existsSync } from 'node:fs';
import { z } from 'zod';
import { calendarEnvShape, storageEnvShape, withDatabaseTarget } from '@appointments/db';
import { envBoolean, parseEnvWith, publicUrlEnvShape, resolveSecretKey, secretKeyEnvShape, secretKeyRequiredInProduction } from '@appointments/runtime';
import { type AccountTokenPurpose, emailSchema, MAX_APPOINTMENT_MINUTES, MAX_BUFFER_MINUTES, passwordSchema, timezoneSchema, type BookingRules, type LifecyclePolicy } from '@appointments/domain';

/** A URL with a `{token}` placeholder, where the link of an account email leads. */
const linkTemplate = z
  .string()
  .trim()
  .refine((template) => template.includes('{token}') && URL.canParse(template.replaceAll('{token}', 'x')), 'must be a URL containing {token}')
  .optional();

const schema = z
  .object({
    ...storageEnvShape,
    ...calendarEnvShape,
    ...secretKeyEnvShape,
    ...publicUrlEnvShape,
    PROJECT_NAME: z.string().min(1).default('Appointment Scheduling System'),
    ACCESS_TOKEN_EXPIRE_MINUTES: z.coerce.number().int().min(1).max(5_256_000).default(11520),
    ADMIN_EMAIL: emailSchema.optional(),
    ADMIN_PASSWORD: passwordSchema.optional(),
    DEFAULT_TIMEZONE: timezoneSchema.default('UTC'),
    /** Behind a reverse proxy, take the client address from X-Forwarded-For (for login throttling). */
    TRUST_PROXY: envBoolean.default(false),
    /** Web origins whose pages may call the API from a browser (comma-separated, or *); none by default. */
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
      .refine((origins) => origins.every((origin) => origin === '*' || URL.parse(origin)?.origin === origin), {
        message: 'CORS_ORIGINS takes origins like https://shop.example.com (scheme, host, optional port; no path), comma-separated, or *',
      }),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
    LOGIN_THROTTLE_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
    REGISTER_MAX_PER_HOUR: z.coerce.number().int().min(1).default(20),
    /** Booking without an account: POST /appointments takes `guest` details instead of a token. */
    GUEST_BOOKING: envBoolean.default(true),
    GUEST_BOOKINGS_PER_HOUR: z.coerce.number().int().min(1).default(20),
    // The seed's policies: no client/staff cancellation or reschedule in the last 2 h; blocked at 3 no-shows.
    CANCELLATION_WINDOW_MINUTES: z.coerce.number().int().min(0).max(525_600).default(120),
    NO_SHOW_BLOCK_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(3),
    // Booking rules for staff who have not set their own.
    DEFAULT_BUFFER_BEFORE_MINUTES: z.coerce.number().int().min(0).max(MAX_BUFFER_MINUTES).default(0),
    DEFAULT_BUFFER_AFTER_MINUTES: z.coerce.number().int().min(0).max(MAX_BUFFER_MINUTES).default(0),
    DEFAULT_MIN_NOTICE_MINUTES: z.coerce.number().int().min(0).max(525_600).default(0),
    DEFAULT_MAX_ADVANCE_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
    DEFAULT_SLOT_INTERVAL_MINUTES: z.coerce.number().int().min(5).max(1440).optional(),
    // Shorter appointments (and slot durations) are refused, for every staff member.
    MIN_APPOINTMENT_MINUTES: z.coerce.number().int().min(1).max(MAX_APPOINTMENT_MINUTES).default(5),
    /** Lets webhook URLs name private, local and reserved addresses (development, tests against local receivers). */
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: envBoolean.default(false),
    /** A front end's page for password reset links, e.g. https://clinic.example/reset/{token}; defaults to the API's own. */
    PASSWORD_RESET_URL_TEMPLATE: linkTemplate,
    /** A front end's page for email verification links, e.g. https://clinic.example/verify/{token}; defaults to the API's own. */
    VERIFY_EMAIL_URL_TEMPLATE: linkTemplate,
    /** Clients must confirm their email address before they book. */
    REQUIRE_VERIFIED_EMAIL: envBoolean.default(false),
    /** Password reset and verification emails per address (or account) per hour; each client address may ask 4× as often. */
    ACCOUNT_EMAILS_MAX_PER_HOUR: z.coerce.number().int().min(1).default(5),
  })
  // Cross-field rules run even when single fields failed (`when`), so one message lists every problem.
  .refine((env) => Boolean(env.ADMIN_EMAIL) === Boolean(env.ADMIN_PASSWORD), {
    path: ['ADMIN_PASSWORD'],
    message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    when: () => true,
  })
  .refine(...secretKeyRequiredInProduction)
  .transform(withDatabaseTarget);

export type ApiEnv = z.output<typeof schema>;
/** Per kind of account link, a URL with `{token}`; undefined: the API's own route under the public URL. */
export type AccountLinkTemplates = Readonly<Record<AccountTokenPurpose, string | undefined>>;
/** Every variable the API reads, for the README's configuration table (checked by a test). */
export const ENV_VARIABLES = Object.keys(schema.in.shape);
export type ApiEnvInput = Partial<Record<keyof z.input<typeof schema>, string>>;

/** The policies and booking defaults the settings name, as the domain takes them: read once, for the server and the demo seed. */
export function policiesFrom(env: ApiEnv): { bookingDefaults: BookingRules; lifecycle: LifecyclePolicy; minAppointmentMinutes: number } {
  return {
    bookingDefaults: {
      bufferBeforeMinutes: env.DEFAULT_BUFFER_BEFORE_MINUTES,
      bufferAfterMinutes: env.DEFAULT_BUFFER_AFTER_MINUTES,
      minNoticeMinutes: env.DEFAULT_MIN_NOTICE_MINUTES,
      maxAdvanceDays: env.DEFAULT_MAX_ADVANCE_DAYS,
      slotIntervalMinutes: env.DEFAULT_SLOT_INTERVAL_MINUTES ?? null,
      // A cap is each staff member's own choice: no deployment-wide default.
      maxBookingsPerDay: null,
    },
    lifecycle: { cancellationWindowMinutes: env.CANCELLATION_WINDOW_MINUTES, noShowBlockThreshold: env.NO_SHOW_BLOCK_THRESHOLD },
    minAppointmentMinutes: env.MIN_APPOINTMENT_MINUTES,
  };
}

/** Where the links of account emails lead: any front-end templates; the API's own routes otherwise. */
export function accountLinkTemplates(env: ApiEnv): AccountLinkTemplates {
  return { password_reset: env.PASSWORD_RESET_URL_TEMPLATE, verify_email: env.VERIFY_EMAIL_URL_TEMPLATE };
}

/** Validates a raw environment; throws one readable error listing every bad variable. In development a missing SECRET_KEY is kept in DATA_DIR. */
export function parseEnv(raw: Record<string, string | undefined>): ApiEnv & { SECRET_KEY: string } {
  const env = parseEnvWith(schema, raw);
  return { ...env, SECRET_KEY: resolveSecretKey(env.SECRET_KEY, env.DATA_DIR) };
}

/** The only reader of process.env in this app; `.env` in the working directory is loaded first. */
export function loadEnv(): ReturnType<typeof parseEnv> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return parseEnv(process.env);
}
