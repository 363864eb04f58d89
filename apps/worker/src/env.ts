import { existsSync } from 'node:fs';
import { z } from 'zod';
import { envBoolean, parseEnvWith, storageEnvShape, withDatabaseTarget } from '@appointments/db';

/** The worker's settings; MAIL_* keep the seed's names and meanings (used once notifications land). */
const schema = z
  .object({
    ...storageEnvShape,
    MAIL_USERNAME: z.string().optional(),
    MAIL_PASSWORD: z.string().optional(),
    MAIL_FROM: z.email().default('noreply@localhost'),
    MAIL_FROM_NAME: z.string().default('Appointment System'),
    MAIL_SERVER: z.string().default('localhost'),
    MAIL_PORT: z.coerce.number().int().min(1).max(65535).default(587),
    MAIL_TLS: envBoolean.default(true),
    MAIL_SSL: envBoolean.default(false),
    USE_CREDENTIALS: envBoolean.default(true),
    SESSION_SWEEP_MINUTES: z.coerce.number().int().min(1).default(60),
  })
  .transform(withDatabaseTarget);

export type WorkerEnv = z.output<typeof schema>;

export function parseEnv(raw: Record<string, string | undefined>): WorkerEnv {
  return parseEnvWith(schema, raw);
}

/** The only reader of process.env in the worker; `.env` in the working directory is loaded first. */
export function loadEnv(): WorkerEnv {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return parseEnv(process.env);
}
