import { existsSync, statSync } from 'node:fs';
import { z } from 'zod';
import { calendarEnvShape, storageEnvShape, withDatabaseTarget } from '@appointments/db';
import { localeSchema, reminderLeadMinutesSchema, type Branding } from '@appointments/domain';
import {
  envBoolean,
  manageUrlEnvShape,
  parseEnvWith,
  publicUrlEnvShape,
  secretKeyEnvShape,
  secretKeyRequiredInProduction,
} from '@appointments/runtime';

/** Free text for a footer line; empty reads as unset. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((text) => text || null);
/** A web address people follow from an email: http(s) only, so no `javascript:` lands in an href or src. */
const optionalWebUrl = z
  .url({ protocol: /^https?$/ })
  .optional()
  .transform((url) => url ?? null);

/** The worker's settings; MAIL_* keep the seed's names and meanings. */
const schema = z
  .object({
    ...storageEnvShape,
    ...calendarEnvShape,
    // Links in emails: signed with the API's key, pointing at the API (HOST, PORT, PUBLIC_URL) or MANAGE_URL_TEMPLATE.
    ...secretKeyEnvShape,
    ...publicUrlEnvShape,
    ...manageUrlEnvShape,
    /** How long before the start reminders go out, in minutes, comma-separated (`1440,60`: a day and an hour before; the seed's 24 h by default). */
    REMINDER_LEAD_MINUTES: z
      .string()
      .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'whole minutes, comma-separated (e.g. 1440,60)')
      .default('1440')
      .transform((value) => value.split(',').map(Number))
      .pipe(reminderLeadMinutesSchema.refine((leads) => leads.length > 0, 'at least one lead time')),
    /** false keeps appointments' notes out of emails (NOTES_IN_CALENDAR: out of their .ics attachments). */
    NOTES_IN_NOTIFICATIONS: envBoolean.default(true),
    MAIL_USERNAME: z.string().optional(),
    MAIL_PASSWORD: z.string().optional(),
    MAIL_FROM: z.email().default('noreply@localhost'),
    /** Unset: ORGANIZATION_NAME, else "Appointment System". */
    MAIL_FROM_NAME: z.string().trim().min(1).optional(),
    // Branding of every email (ORGANIZATION_NAME is shared with the API: calendarEnvShape).
    ORGANIZATION_ADDRESS: optionalText(500),
    ORGANIZATION_PHONE: optionalText(50),
    ORGANIZATION_URL: optionalWebUrl,
    LOGO_URL: optionalWebUrl,
    /** The language of emails to people who chose none; unknown languages fall back to English. */
    DEFAULT_LOCALE: localeSchema.default('en'),
    /** A directory whose files (`<kind>/html.pug`, `layout.pug`, `_parts.pug`, `style.css`) replace the shipped ones, file by file. */
    EMAIL_TEMPLATES_DIR: z
      .string()
      .trim()
      .optional()
      .transform((dir) => dir || null)
      .refine((dir) => dir === null || statSync(dir, { throwIfNoEntry: false })?.isDirectory() === true, 'must be an existing directory'),
    /** Unset: emails are written as .eml files under DATA_DIR/outbox instead of sent. */
    MAIL_SERVER: z.string().trim().optional(),
    MAIL_PORT: z.coerce.number().int().min(1).max(65535).default(587),
    /** STARTTLS required (the seed's MAIL_TLS); MAIL_SSL is TLS from the first byte (port 465). */
    MAIL_TLS: envBoolean.default(true),
    MAIL_SSL: envBoolean.default(false),
    USE_CREDENTIALS: envBoolean.default(true),
    /** PostgreSQL for pg-boss; defaults to DATABASE_URL when that is PostgreSQL, else an embedded PGlite under DATA_DIR. */
    QUEUE_DATABASE_URL: z
      .string()
      .trim()
      .optional()
      .refine((url) => !url || /^postgres(ql)?:\/\//.test(url), 'must be a postgresql:// URL'),
    /** Liveness endpoint (`GET /healthz`); 0 picks a free port. */
    WORKER_HOST: z.string().min(1).default('127.0.0.1'),
    WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(8001),
    /** Sending attempts after the first, with exponential backoff from NOTIFY_RETRY_DELAY_SECONDS. */
    NOTIFY_RETRY_LIMIT: z.coerce.number().int().min(0).max(100).default(8),
    NOTIFY_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
    /** The longest one send may take before it is retried elsewhere (a dead worker is noticed sooner, by its missing heartbeat). */
    NOTIFY_JOB_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
    /** Emails sent at once by one worker (also the SMTP pool size). */
    NOTIFY_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
    /** How often new notifications are moved from the outbox to the queue. */
    NOTIFY_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    /** Webhook attempts after the first, with exponential backoff from WEBHOOK_RETRY_DELAY_SECONDS; then the delivery is `failed` (bounded so the last retry stays within decades). */
    WEBHOOK_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(12),
    WEBHOOK_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
    /** The longest one webhook POST may take, answer included; a worker's claim on a delivery lasts twice this plus 5 s. */
    WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60).default(10),
    /** Webhook POSTs one worker makes at once. */
    WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(10),
    /** Lets webhooks reach loopback, private and link-local addresses: for development and tests against local receivers, never in production. */
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: envBoolean.default(false),
    /** How long SIGTERM waits for emails and webhook POSTs in flight before exiting. */
    SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
    SESSION_SWEEP_MINUTES: z.coerce.number().int().min(1).default(60),
  })
  .refine(...secretKeyRequiredInProduction)
  .transform((env) => ({ ...withDatabaseTarget(env), MAIL_FROM_NAME: env.MAIL_FROM_NAME ?? env.ORGANIZATION_NAME ?? 'Appointment System' }));

export type WorkerEnv = z.output<typeof schema>;
/** Every variable the worker reads, for the README's configuration table (checked by a test). */
export const ENV_VARIABLES = Object.keys(schema.in.shape);

/** The organisation as every email shows it. */
export function brandingFrom(env: WorkerEnv): Branding {
  return { name: env.ORGANIZATION_NAME, address: env.ORGANIZATION_ADDRESS, phone: env.ORGANIZATION_PHONE, url: env.ORGANIZATION_URL, logoUrl: env.LOGO_URL };
}

export function parseEnv(raw: Record<string, string | undefined>): WorkerEnv {
  return parseEnvWith(schema, raw);
}

/** The only reader of process.env in the worker; `.env` in the working directory is loaded first. */
export function loadEnv(): WorkerEnv {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return parseEnv(process.env);
}
