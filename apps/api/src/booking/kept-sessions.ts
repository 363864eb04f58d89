import { sessionState } from '@appointments/domain';
import { boundedCache } from '@appointments/runtime';
import { perDatabase } from '../per-database.ts';
import type { SignedIn } from '../auth/sessions.ts';

/** Sessions kept at most (~1 KB each with their user: ~50 MB at most); past it the least recently used go. */
export const MAX_KEPT_SESSIONS = 50_000;

/**
 * Sessions this process validated lately, by id (the token's hash), so that a booking need not
 * read its session again. Trusted only as far as the booking's write confirms it (the session
 * still there and unexpired, its user's role and standing as read: session-guard.ts in the db);
 * whatever else the request would answer is answered on a fresh validation.
 */
export class KeptSessions {
  readonly #sessions = boundedCache<string, SignedIn>({ name: 'kept-sessions', maxSize: MAX_KEPT_SESSIONS });

  /** The kept session `id` while valid at `now` and not yet due to slide forward (which a fresh validation does). */
  get(id: string, now: Date, lifetimeMs: number): SignedIn | undefined {
    const kept = this.#sessions.get(id);
    if (!kept || sessionState(kept.session.expiresAt, now, lifetimeMs) === 'valid') return kept;
    this.#sessions.delete(id);
    return undefined;
  }

  keep(auth: SignedIn): void {
    this.#sessions.set(auth.session.id, auth);
  }

  forget(id: string): void {
    this.#sessions.delete(id);
  }
}

export const keptSessionsFor = perDatabase(() => new KeptSessions());
