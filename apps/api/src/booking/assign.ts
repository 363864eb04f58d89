import { bookedDayKey, type ServiceForBooking } from '@appointments/db';
import { assignmentOrder, isCandidateRefusal, noCandidateLeft, type DomainError } from '@appointments/domain';
import type { BookingDeps, StaffJudge } from './book.ts';
import { candidateSetups, decideOnKnown, type Caller, type CallerAccess, type WriteGuards } from './trust.ts';

/** What a judged candidate's write needs to be placed in the assignment order. */
interface Placed {
  readonly staffId: number;
  readonly localDate: string;
}

/**
 * The order to try a service's candidates in: those the rules let take the time, fewest
 * appointments that local day first (assignmentOrder), then those refused on a kept setup (tried
 * last, where decideOnKnown judges them again on a fresh read). Candidates refused on a fresh read
 * are left out, their refusals returned. Any other refusal (of the request, not of a candidate: a
 * blocked client, a wrong duration) leaves the order as the ids give it, for the first attempt to
 * refuse under the trust policy (decideOnKnown), which decides whether it stands.
 */
async function candidateOrder<D extends Placed>(
  deps: BookingDeps,
  user: Caller['user'],
  service: ServiceForBooking,
  judge: StaffJudge<D>,
): Promise<{ order: number[]; refusals: DomainError[] }> {
  const judged: Placed[] = [];
  const retry: number[] = [];
  const refusals: DomainError[] = [];
  for (const { staffId, setup, kept } of await candidateSetups(deps.db, deps.repos, service.staffIds)) {
    try {
      judged.push(await judge(staffId)(user, setup));
    } catch (error) {
      if (!isCandidateRefusal(error)) return { order: [...service.staffIds], refusals: [] };
      if (kept) retry.push(staffId);
      else refusals.push(error);
    }
  }
  const counted = service.booked;
  const booked = counted ? (placed: Placed) => counted.get(bookedDayKey(placed.staffId, placed.localDate)) ?? 0 : await countedByQuery(deps, judged);
  return { order: [...assignmentOrder(judged.map((placed) => ({ staffId: placed.staffId, booked: booked(placed) }))), ...retry], refusals };
}

/** The candidates' days counted by a query of their own, when the service was read without them. */
async function countedByQuery(deps: BookingDeps, judged: readonly Placed[]): Promise<(placed: Placed) => number> {
  const booked = await deps.repos.appointments.bookedOnDays(judged);
  return (placed) => booked.get(placed.staffId) ?? 0;
}

/**
 * Books a service with whichever staff member offers it and can take the time. The candidates are
 * ordered by the domain's fairness rule, then tried in turn, each as an ordinary booking of a named
 * staff member (decideOnKnown, with its guarded write): a refusal of that candidate, by the rules
 * or by the database (the time taken, the seats gone, the day full), moves on to the next, so two
 * racing clients who picked the same first candidate both get booked while anyone is left. When
 * nobody is left the answer is the candidates' common refusal, or SLOT_TAKEN (noCandidateLeft).
 */
export async function bookAnyStaff<D extends Placed, R>(
  deps: BookingDeps,
  access: CallerAccess,
  service: ServiceForBooking,
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
  const { order, refusals } = await candidateOrder(deps, caller.user, service, judge);
  for (const [i, staffId] of order.entries()) {
    // The database refusing one candidate, while others are left, needs no fresh knowledge: the next one is tried.
    const passOn = i < order.length - 1 ? isCandidateRefusal : undefined;
    try {
      return await decideOnKnown(deps.db, deps.repos, tracked, staffId, judge(staffId), write, passOn);
    } catch (error) {
      if (!isCandidateRefusal(error)) throw error;
      refusals.push(error);
    }
  }
  throw noCandidateLeft(service.id, refusals);
}
