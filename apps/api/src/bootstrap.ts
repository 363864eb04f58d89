import type { Database } from '@appointments/db';
import { emailSchema, passwordSchema } from '@appointments/domain';
import { hashPassword } from './auth/passwords.ts';
import type { Logger } from './logger.ts';

/**
 * ADMIN_EMAIL + ADMIN_PASSWORD make sure that admin exists: created once, re-promoted and
 * re-activated if someone demoted it, its password never overwritten (it may have been changed).
 */
export async function ensureAdmin(db: Database, logger: Logger, rawEmail: string, password: string, timezone: string) {
  const email = emailSchema.parse(rawEmail);
  passwordSchema.parse(password);
  const repos = db.fork();
  const existing = await repos.users.findCredentials(email);
  if (!existing) {
    const user = await repos.users.create({ email, fullName: 'Administrator', role: 'admin', passwordHash: await hashPassword(password), timezone });
    logger.info({ userId: user.id, email }, 'admin created');
  } else if (existing.user.role !== 'admin' || !existing.user.isActive) {
    await repos.users.update(existing.user.id, { role: 'admin', isActive: true });
    logger.warn({ userId: existing.user.id, email }, 'ADMIN_EMAIL account restored to an active admin');
  }
}
