import type { Database } from '@appointments/db';
import { hashPassword, verifyPassword } from './auth/passwords.ts';
import type { Logger } from './logger.ts';

/**
 * ADMIN_EMAIL + ADMIN_PASSWORD make sure that admin exists. A missing account is created; an
 * existing one is promoted or re-activated only if ADMIN_PASSWORD is its password, so registering
 * that email first never turns a stranger into an admin. An existing password is never overwritten.
 * True when it created the account (the launcher's `ready:` line then names it).
 */
export async function ensureAdmin(db: Database, logger: Logger, email: string, password: string, timezone: string): Promise<boolean> {
  const repos = db.fork();
  const existing = await repos.users.findCredentials(email);
  if (!existing) {
    const user = await repos.users.create({ email, fullName: 'Administrator', role: 'admin', passwordHash: await hashPassword(password), timezone });
    logger.info({ userId: user.id, email }, 'admin created');
    return true;
  }
  if (existing.user.role === 'admin' && existing.user.isActive) return false;
  if (!(await verifyPassword(existing.passwordHash, password))) {
    logger.error({ userId: existing.user.id, email }, 'ADMIN_EMAIL belongs to an account that is not an active admin and ADMIN_PASSWORD is not its password: left unchanged');
    return false;
  }
  await repos.users.update(existing.user.id, { role: 'admin', isActive: true });
  logger.warn({ userId: existing.user.id, email }, 'ADMIN_EMAIL account restored to an active admin');
  return false;
}
