import { z } from 'zod';
import { envBoolean } from '@appointments/runtime';
import { parseDatabaseUrl } from './database-url.ts';

/** The storage settings every app shares; each app merges them into its own env schema. */
export const storageEnvShape = {
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .superRefine((url, ctx) => {
      try {
        parseDatabaseUrl(url || undefined, '.');
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  /**
   * PostgreSQL: the longest one statement may run (its statement_timeout) and wait for an answer;
   * then it fails as unavailable (503) and a silent connection is closed. Migrations are exempt.
   */
  DATABASE_QUERY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
};

/** Adds the resolved database target (DATABASE_URL is already validated by its field schema). */
export function withDatabaseTarget<T extends { DATA_DIR: string; DATABASE_URL?: string | undefined }>(env: T) {
  return { ...env, database: parseDatabaseUrl(env.DATABASE_URL || undefined, env.DATA_DIR) };
}

/** Settings the API (calendar feeds) and the worker (emails' invitations) must agree on. */
export const calendarEnvShape = {
  /** The domain in every calendar UID (`appointment-<id>@<domain>`); keep it stable, or calendars duplicate events. */
  CALENDAR_UID_DOMAIN: z.string().regex(/^[a-z0-9.-]{1,100}$/i, 'a host name').default('appointments.localhost'),
  /** The organisation's name: every event's organiser, and (worker) the emails' sender, subjects and footer; empty reads as unset. */
  ORGANIZATION_NAME: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((name) => name || null),
  /** false keeps appointments' notes out of calendar events: .ics exports and feeds, and emails' invitations (they reach calendar providers). */
  NOTES_IN_CALENDAR: envBoolean.default(true),
};
