import { authorizeUserUpdate, DomainError } from '@appointments/domain';
import { signedIn } from '../../auth/authenticate.ts';
import { hashPassword, verifyPassword } from '../../auth/passwords.ts';
import { passwordCheckKeys } from '../../auth/throttle.ts';
import type { AuthedContext, HandlerOptions } from '../../trpc.ts';
import { toUserOutput } from './user.schema.ts';
import type { updateUserInput } from './update.schema.ts';

export async function updateUserHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof updateUserInput>) {
  const { id, full_name: fullName, timezone, locale, role, is_active: isActive, password } = input;
  authorizeUserUpdate(ctx.user, id, { fullName, timezone, role, isActive, password });

  /** The session in use, kept when the password changes. */
  let current: string | undefined;
  if (password !== undefined) {
    // Only an account's owner sets its password (authorizeUserUpdate): a signed-in user, never a key.
    const { user, session } = signedIn(ctx);
    current = session.id;
    if (!input.current_password) throw new DomainError('USER.CURRENT_PASSWORD_REQUIRED', 'current_password is required to change the password');
    // A stolen token must not become a way to guess the password: same limits as login.
    const keys = passwordCheckKeys(ctx.services.settings.limits, ctx.clientAddress, user.email);
    await ctx.services.throttle.acquire(keys, ctx.now.getTime(), 'Too many wrong passwords');
    if (!(await verifyPassword((await ctx.repos.users.passwordHash(id)) ?? undefined, input.current_password))) {
      throw new DomainError('USER.CURRENT_PASSWORD_WRONG', 'current_password is incorrect');
    }
    await ctx.services.throttle.release(keys);
  }
  const passwordHash = password === undefined ? undefined : await hashPassword(password);

  const user = await ctx.services.db.transaction(async (repos) => {
    const updated = await repos.users.update(id, { fullName, timezone, locale, role, isActive, passwordHash });
    // A new password ends every other session; deactivation ends them all.
    if (isActive === false) await repos.sessions.deleteForUser(id);
    else if (passwordHash) await repos.sessions.deleteForUser(id, current);
    return updated;
  });
  return toUserOutput(user);
}
