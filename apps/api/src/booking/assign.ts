import type { BookingSetup, ServiceForBooking } from '@appointments/db';
import { isCandidateRefusal, noCandidateLeft, requestLocalDate, type DomainError } from '@appointments/domain';
import type { BookingDeps, StaffJudge } from './deps.ts';
import { fairestFirst } from './fairness.ts';
import { candidateSetups, decideOnKnown, type CallerAccess, type WriteGuards } from './trust.ts';

interface Candidate {
  readonly staffId: number;
  readonly setup: BookingSetup;
  /** Whether `setup` is kept knowledge: a refusal judged on it is judged again on a fresh read. */
  readonly kept: boolean;
}

/**
 * A service's candidates in the order to try them: fewest appointments on their own local date of
 * the start first, then the lowest id (assignmentOrder). Only the date is read here, not every
 * rule: each candidate is judged when its turn comes, so the usual booking judges one or two.
 * Those whose date cannot be read (no such staff member, a start their clocks skip) come last,
 * for the rules to refuse in turn.
 */
async function candidateOrder(deps: BookingDeps, service: ServiceForBooking, start: string): Promise<Candidate[]> {
  const candidates = await candidateSetups(deps.db, deps.repos, service.staffIds);
  const placed = candidates.flatMap((candidate) => {
    const localDate = candidate.setup.staff ? requestLocalDate(start, candidate.setup.staff.timezone) : null;
    return localDate === null ? [] : [{ ...candidate, localDate }];
  });
  const ordered = await fairestFirst(deps.repos, placed, service.booked);
  return [...ordered, ...candidates.filter(({ staffId }) => !ordered.some((placed) => placed.staffId === staffId))];
}

/**
 * Books a service with whichever staff member offers it and can take the time. The candidates are
 * ordered by the domain's fairness rule, then tried in turn: each is judged on the setup at hand,
 * and one the rules let take the time is booked as an ordinary named staff member is
 * (decideOnKnown, with its guarded write). A refusal of that candidate, by the rules or by the
 * database (the time taken, the seats gone, the day full), moves on to the next, so two racing
 * clients who picked the same first candidate both get booked while anyone is left; one refused on
 * a kept setup is tried again at the end, judged on a fresh read. A refusal of the request itself
 * (a blocked client, a wrong duration) goes through the trust policy at once. When nobody is left
 * the answer is the candidates' common refusal, or SLOT_TAKEN (noCandidateLeft).
 */
export async function bookAnyStaff<D, R>(
  deps: BookingDeps,
  access: CallerAccess,
  service: ServiceForBooking,
  start: string,
  judge: StaffJudge<D>,
  write: (decided: D, guards: WriteGuards) => Promise<R>,
): Promise<R> {
  // Once one attempt has validated the session afresh, the next ones go on that.
  let caller = access.caller;
  const tracked: CallerAccess = {
    get caller() {
      return caller;
    },
    fresh: async () => (caller = await access.fresh()),
  };
  const refusals: DomainError[] = [];
  const queue = await candidateOrder(deps, service, start);
  // A candidate judged here is judged again first thing in decideOnKnown, on the same caller and
  // setup: the judgement is a function of those, so that first one is reused, not made twice.
  const judged = new Map<number, { user: unknown; setup: unknown; decision: Promise<D> }>();
  const judgeOnce: StaffJudge<D> = (staffId) => (user, setup) => {
    const known = judged.get(staffId);
    if (known?.user === user && known.setup === setup) return known.decision;
    const decision = judge(staffId)(user, setup);
    judged.set(staffId, { user, setup, decision });
    return decision;
  };
  const retry: number[] = [];
  const attempt = async (staffId: number, othersLeft: boolean) => {
    // The database refusing one candidate, while others are left, needs no fresh knowledge: the next one is tried.
    return decideOnKnown(deps.db, deps.repos, tracked, staffId, judgeOnce(staffId), write, othersLeft ? isCandidateRefusal : undefined);
  };
  for (const [i, { staffId, setup, kept }] of queue.entries()) {
    try {
      await judgeOnce(staffId)(caller.user, setup);
    } catch (error) {
      if (isCandidateRefusal(error)) {
        if (kept) retry.push(staffId);
        else refusals.push(error);
        continue;
      }
      // A refusal of the request: the trust policy decides whether it stands (a fresh read may lift it).
    }
    try {
      return await attempt(staffId, i < queue.length - 1 || retry.length > 0);
    } catch (error) {
      if (!isCandidateRefusal(error)) throw error;
      refusals.push(error);
    }
  }
  for (const [i, staffId] of retry.entries()) {
    try {
      return await attempt(staffId, i < retry.length - 1);
    } catch (error) {
      if (!isCandidateRefusal(error)) throw error;
      refusals.push(error);
    }
  }
  throw noCandidateLeft(service.id, refusals);
}
