/**
 * Session lifetime rules from Lucia's recipe: a session lives `lifetimeMs`; once less than
 * half of it remains, using it slides the expiry forward (so active users stay signed in and
 * the expiry is written at most once per half-lifetime, not on every request).
 */
export type SessionState = 'valid' | 'renew' | 'expired';

export function sessionExpiry(now: Date, lifetimeMs: number): Date {
  return new Date(now.getTime() + lifetimeMs);
}

export function sessionState(expiresAt: Date, now: Date, lifetimeMs: number): SessionState {
  const remaining = expiresAt.getTime() - now.getTime();
  if (remaining <= 0) return 'expired';
  return remaining < lifetimeMs / 2 ? 'renew' : 'valid';
}
