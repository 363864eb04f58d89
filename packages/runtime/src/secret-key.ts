import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** SECRET_KEY as both apps read it: what signs links the API accepts and the worker writes into emails. */
export const secretKeyEnvShape = {
  SECRET_KEY: z.string().min(16, 'SECRET_KEY must be at least 16 characters').optional(),
};

/** Production refuses to start without a key: a generated one would differ per machine and process. */
export const secretKeyRequiredInProduction: [
  check: (env: { NODE_ENV: string; SECRET_KEY?: string | undefined }) => boolean,
  params: { path: string[]; message: string; when: () => boolean },
] = [
  (env) => env.NODE_ENV !== 'production' || Boolean(env.SECRET_KEY),
  // Checked even when other fields failed, so one message lists every problem.
  { path: ['SECRET_KEY'], message: 'SECRET_KEY is required when NODE_ENV=production', when: () => true },
];

/**
 * The key given, or in development the one kept in DATA_DIR/secret_key, generated once. The API and
 * the worker may start together on one DATA_DIR: the file is written aside and linked into place,
 * which fails if another process got there first, so both end up reading the same key.
 */
export function resolveSecretKey(secretKey: string | undefined, dataDir: string): string {
  if (secretKey) return secretKey;
  const dir = resolve(dataDir);
  const file = join(dir, 'secret_key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(aside, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
    try {
      linkSync(aside, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(aside, { force: true });
    }
  }
  return readFileSync(file, 'utf8').trim();
}
