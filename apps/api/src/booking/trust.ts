import { isDatabaseUnavailable, StaleSessionError, StaleSetupError, type BookingSetup, type Database, type Repositories, type SessionAsRead } from '@appointments/db';
import { DomainError, isApiKeyToken, sameStanding, type ApiKeyActor, type User } from '@appointments/domain';
import { keptSessionsFor } from './kept-sessions.ts';
import type { Authenticated } from '../auth/authenticate.ts';
import { hashToken } from '../auth/tokens.ts';
import { setupCacheFor } from './kept-setups.ts';

/*
 * The trust policy of a booking, whole.
 *
 * A booking is decided first on what this process already knows: the caller's session as this
 * process last validated it (not read again), and the staff member's setup as it last read it.
 * Its write carries guards that make the database refuse it, writing nothing, when either has
 * changed since (StaleSessionError, StaleSetupError). So what was decided on kept knowledge stands
 * only once a write confirms it. A stopped write, or a refusal decided on kept knowledge, is decided
 * again on a fresh read, whose answer stands; one exception keeps refusals cheap: a refusal on a
 * kept session whose user reads the same afresh stands (the session is not what refused it).
 * Any other answer to a request on a kept session (bad input, say) is given only once the session
 * has been validated afresh. An API key is never kept: it is validated afresh on every request, so
 * its revocation holds at once in every process.
 */

/**
 * Who books: a user and, while it is the session this process validated before, that session,
 * which the write must find unchanged; or an API key's actor.
 */
export interface Caller {
  readonly user: User | ApiKeyActor;
  readonly keptSession?: SessionAsRead;
}

/** The caller of a booking request, as its procedure hands it over. */
export interface CallerAccess {
  readonly caller: Caller;
  /** Validates the token now (UNAUTHORIZED when it can't) and keeps the session: the caller with nothing left to confirm. */
  fresh(): Promise<Caller>;
}

/** What a booking's write must find unchanged: the setup version it was judged on (a kept setup), the session (a kept one). */
export interface WriteGuards {
  readonly setupVersion?: number;
  readonly session?: SessionAsRead;
}

/**
 * Runs a booking procedure (`run`) for the caller behind the token, handing it a session this
 * process validated before without reading it again. When the answer is anything but a booking,
 * the session is validated afresh first, unless the database itself could not serve the request
 * (a second wait would only double a 503's delay).
 */
export async function withCaller<R extends { ok: true } | { ok: false; error: { cause?: unknown } }>(
  db: Database,
  token: string | null,
  now: Date,
  lifetimeMs: number,
  validate: () => Promise<Authenticated>,
  run: (access: CallerAccess) => Promise<R>,
): Promise<R> {
  const sessions = keptSessionsFor(db);
  const id = token && !isApiKeyToken(token) ? hashToken(token) : undefined;
  const kept = id === undefined ? undefined : sessions.get(id, now, lifetimeMs);
  let validated = false;
  const fresh = async (): Promise<Caller> => {
    validated = true;
    if (id !== undefined) sessions.forget(id);
    const auth = await validate();
    if (!auth.apiKey) sessions.keep(auth);
    return { user: auth.user };
  };
  const caller = kept ? { user: kept.user, keptSession: { id: kept.session.id, user: kept.user } } : await fresh();
  const result = await run({ caller, fresh });
  if (!result.ok && !validated && !isDatabaseUnavailable(result.error.cause)) await fresh();
  return result;
}

/**
 * The setups of a service's candidates to order them by: kept ones as kept, the others read in one
 * go (and kept, by the rule readSetup follows). Whether each is `kept` says how far a refusal
 * judged on it stands: one on a fresh read does; one on a kept setup is judged again on a fresh
 * read when decideOnKnown tries that candidate.
 */
export async function candidateSetups(db: Database, repos: Repositories, staffIds: readonly number[]): Promise<{ staffId: number; setup: BookingSetup; kept: boolean }[]> {
  const setups = setupCacheFor(db);
  const kept = new Map(staffIds.flatMap((staffId) => {
    const setup = setups.get(staffId);
    return setup ? [[staffId, setup] as const] : [];
  }));
  const missing = staffIds.filter((staffId) => !kept.has(staffId));
  const fresh = missing.length === 0 ? new Map<number, BookingSetup>() : await repos.appointments.bookingSetups(missing);
  for (const [staffId, setup] of fresh) if (keepable(setup)) setups.set(staffId, setup);
  return staffIds.map((staffId) => ({ staffId, setup: kept.get(staffId) ?? fresh.get(staffId)!, kept: kept.has(staffId) }));
}

// Only bookable staff members are kept: unknown ids in requests must not fill the cache, and a
// kept setup that always refuses would cost a second read on every request.
const keepable = (setup: BookingSetup) => setup.staff?.role === 'staff' && setup.staff.isActive;

/**
 * Books with `staffId` for the caller: `judge` decides what to write from the caller and the staff
 * member's setup (or refuses with a DomainError), `write` writes it under the guards. Starts on
 * kept knowledge and falls back to fresh reads as the policy above says; each kind of knowledge
 * is read afresh at most once, so this runs `judge` three times at most. A refusal of the write
 * that `passOn` accepts is thrown at once, with no fresh read: the caller tries elsewhere (another
 * candidate), whose write carries the same guards, and whatever it finally answers goes through
 * this policy.
 */
export async function decideOnKnown<Decided, Result>(
  db: Database,
  repos: Repositories,
  access: CallerAccess,
  staffId: number,
  judge: (user: Caller['user'], setup: BookingSetup) => Promise<Decided>,
  write: (decided: Decided, guards: WriteGuards) => Promise<Result>,
  passOn: (error: unknown) => boolean = () => false,
): Promise<Result> {
  const setups = setupCacheFor(db);
  const readSetup = async () => {
    const fresh = await repos.appointments.bookingSetup(staffId);
    if (keepable(fresh)) setups.set(staffId, fresh);
    return fresh;
  };
  let caller = access.caller;
  let kept = setups.get(staffId);
  let setup = kept ?? (await readSetup());
  for (;;) {
    let judged = false;
    try {
      const decided = await judge(caller.user, setup);
      judged = true;
      return await write(decided, { ...(setup === kept && { setupVersion: setup.setupVersion }), ...(caller.keptSession && { session: caller.keptSession }) });
    } catch (error) {
      if (judged && passOn(error)) throw error;
      const refused = error instanceof DomainError;
      // Judged on a kept setup that refused, or written against one that has moved: judge again on a fresh read
      // (the database's own refusals, such as an overlap, do not depend on the setup).
      if (setup === kept && ((refused && !judged) || error instanceof StaleSetupError)) {
        if (setups.get(staffId) === kept) setups.delete(staffId); // unless another request kept a newer one
        kept = undefined;
        setup = await readSetup();
        continue;
      }
      if (caller.keptSession && (refused || error instanceof StaleSessionError)) {
        const fresh = await access.fresh();
        // The same session token, so a user again (id not null): the refusal stands if they read the same.
        if (refused && fresh.user.id !== null && sameStanding(fresh.user, caller.keptSession.user)) throw error;
        caller = fresh;
        continue;
      }
      throw error;
    }
  }
}
