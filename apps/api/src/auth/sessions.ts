import { DomainError, sessionExpiry, sessionState, type User } from '@appointments/domain';
import type { Repositories, Session } from '@appointments/db';
import { generateToken, hashToken } from './tokens.ts';

/** A request made with a session token: its user and session (an API key's is KeyAuthenticated). */
export interface SignedIn {
  readonly user: User;
  readonly session: Session;
  readonly apiKey?: undefined;
}

export async function createSession(repos: Repositories, userId: number, now: Date, lifetimeMs: number) {
  const token = generateToken();
  const expiresAt = sessionExpiry(now, lifetimeMs);
  await repos.sessions.create({ id: hashToken(token), userId, expiresAt });
  return { token, expiresAt };
}

/** Lucia's validation: look the hash up, drop it if expired, slide it forward in its second half. */
export async function validateSessionToken(
  repos: Repositories,
  token: string,
  now: Date,
  lifetimeMs: number,
): Promise<SignedIn> {
  const found = await repos.sessions.findWithUser(hashToken(token));
  if (!found) throw new DomainError('AUTH.NOT_AUTHENTICATED', 'Invalid or revoked token');
  const state = sessionState(found.session.expiresAt, now, lifetimeMs);
  if (state === 'expired') {
    await repos.sessions.delete(found.session.id);
    throw new DomainError('AUTH.SESSION_EXPIRED', 'Session expired; log in again');
  }
  if (!found.user.isActive) throw new DomainError('AUTH.INACTIVE_USER', 'This account is deactivated');
  if (state === 'renew') {
    const expiresAt = sessionExpiry(now, lifetimeMs);
    await repos.sessions.extend(found.session.id, expiresAt);
    return { user: found.user, session: { ...found.session, expiresAt } };
  }
  return found;
}
