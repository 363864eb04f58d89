import {
  actedBy,
  authorizeLifecycle,
  changedConcurrently,
  countersAfter,
  isCandidateRefusal,
  nextSequence,
  requireScheduled,
  requireSequence,
  STATUS_AFTER,
  type Appointment,
  type AppointmentChange,
  type DomainError,
  type LifecycleAction,
} from '@appointments/domain';
import type { AppointmentChanges, Repositories } from '@appointments/db';
import type { ActingContext, AuthedContext, HandlerOptions } from '../../trpc.ts';
import { toAppointmentOutput, type AppointmentOutput } from './appointment.schema.ts';
import { planMove } from '../../booking/move.ts';
import { NO_CHANGE, toEventOutput } from './history.ts';
import type {
  cancelAppointmentInput,
  historyInput,
  markAppointmentInput,
  rescheduleAppointmentInput,
  updateAppointmentInput,
} from './lifecycle.schema.ts';
import { loadVisibleAppointment } from './visible.ts';

/** What a change writes; a move also names the staff member it was judged for and their setup version. */
interface Decided {
  readonly changes: AppointmentChanges;
  readonly staffId?: number;
  readonly setupVersion?: number;
}

/**
 * What to write, decided lazily: `first`, or, when that is refused for its staff member (their
 * rules, or the database's guards), each of `others` in turn.
 */
interface Plan {
  readonly first: () => Decided | Promise<Decided>;
  readonly others?: () => Promise<readonly Decided[]>;
}

const only = (decided: Decided): Plan => ({ first: () => decided });

interface Change {
  readonly action: LifecycleAction;
  readonly reason: string | undefined;
  /** The version the client says it is changing (`expected_sequence`), if it says. */
  readonly expectedSequence?: number | undefined;
  /** The new field values, given the current appointment (async: a reschedule checks the booking rules). */
  readonly decide: (current: Appointment) => Plan | Promise<Plan>;
  /** What happened, as the history and the worker record it, with what the parties are told (cancel, reschedule). */
  readonly change: (current: Appointment) => AppointmentChange;
  /** More writes that must commit with the status change (client counters). */
  readonly alsoWrite?: (repos: Repositories, updated: Appointment) => Promise<void>;
}

/** A move judged on a setup that changed before the write is judged again on a fresh read, this many times at most. */
const MAX_ATTEMPTS = 3;
const STALE_SETUP = Symbol('stale setup');

/**
 * Every lifecycle change: load what the actor may see, let the status machine and policy decide,
 * then write the change, its history entry, its recorded change (which the worker turns into
 * emails, or carries the version's emails over) and any counters in one transaction. The write is
 * conditional on the version the decision was made on (and a move on the setup it was checked
 * against), so of racing changes exactly one applies and each starts where the one before ended.
 */
async function change(ctx: ActingContext, id: number, spec: Change): Promise<AppointmentOutput> {
  for (let attempt = 1; ; attempt++) {
    const result = await attemptChange(ctx, id, spec);
    if (result !== STALE_SETUP) return result;
    if (attempt === MAX_ATTEMPTS) throw changedConcurrently();
  }
}

async function attemptChange(ctx: ActingContext, id: number, spec: Change): Promise<AppointmentOutput | typeof STALE_SETUP> {
  const current = await loadVisibleAppointment(ctx.repos, ctx.user, id);
  const now = ctx.now.getTime();
  requireSequence(current, spec.expectedSequence);
  const scheduled = requireScheduled(current, spec.action);
  const { policyOverride } = authorizeLifecycle(ctx.user, scheduled, spec.action, now, ctx.services.settings.lifecycle);
  const plan = await spec.decide(current);
  const write = (decided: Decided) => writeChange(ctx, spec, current, nextSequence(scheduled), policyOverride, decided);
  let refused: DomainError;
  try {
    return await write(await plan.first());
  } catch (error) {
    if (!plan.others || !isCandidateRefusal(error)) throw error;
    refused = error;
  }
  for (const decided of await plan.others()) {
    try {
      return await write(decided);
    } catch (error) {
      if (!isCandidateRefusal(error)) throw error;
    }
  }
  // Nobody else could take it either: what the appointment's own staff member answered.
  throw refused;
}

async function writeChange(
  ctx: ActingContext,
  spec: Change,
  current: Appointment,
  sequence: number,
  policyOverride: boolean,
  { changes, staffId, setupVersion }: Decided,
): Promise<AppointmentOutput | typeof STALE_SETUP> {
  const id = current.id;
  const now = ctx.now.getTime();
  return ctx.services.db.transaction(async (repos) => {
    // The setup version guarded is that of the staff member the move was judged for.
    const updated = await repos.appointments.transition({ ...current, ...(staffId !== undefined && { staffId }), setupVersion }, { ...changes, sequence });
    if (!updated) {
      // The appointment as read is still there: only the setup moved, so the move is judged again.
      const reread = await repos.appointments.findById(id);
      if (setupVersion !== undefined && reread?.status === 'scheduled' && reread.sequence === current.sequence) return STALE_SETUP;
      throw changedConcurrently();
    }
    const moved = updated.start !== current.start || updated.end !== current.end;
    const happened = spec.change(current);
    // A move to another staff member: the change names who had it, so they are told too.
    const handedOver = happened.kind === 'rescheduled' && updated.staffId !== current.staffId ? { ...happened, previousStaffId: current.staffId } : happened;
    await repos.appointmentEvents.append({
      ...NO_CHANGE,
      appointmentId: id,
      ...actedBy(ctx.user),
      at: now,
      action: happened.kind,
      ...(updated.status !== current.status && { fromStatus: current.status, toStatus: updated.status }),
      ...(moved && { fromStart: current.start, fromEnd: current.end, toStart: updated.start, toEnd: updated.end }),
      reason: spec.reason ?? null,
      // An admin acting inside the cancellation window, or waiving the client-busy guard.
      policyOverride: policyOverride || changes.clientOverlapAllowed === true,
    });
    await spec.alsoWrite?.(repos, updated);
    await repos.appointmentChanges.record({ appointmentId: id, sequence: updated.sequence, start: updated.start, state: updated, change: handedOver, at: now });
    return toAppointmentOutput(updated);
  });
}

const cancel = (ctx: ActingContext, reason: string | undefined, expectedSequence: number | undefined, notes?: string | null): Change => ({
  action: 'cancel',
  reason,
  expectedSequence,
  decide: () => only({ changes: { status: STATUS_AFTER.cancel, ...(notes !== undefined && { notes }) } }),
  change: () => ({ kind: 'cancelled', by: { id: ctx.user.id, name: ctx.user.fullName, role: ctx.user.role }, reason: reason ?? null }),
});

export function updateAppointmentHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof updateAppointmentInput>) {
  if (input.status === 'cancelled') return change(ctx, input.id, cancel(ctx, input.reason, input.expected_sequence, input.notes));
  return change(ctx, input.id, {
    action: 'update',
    reason: input.reason,
    expectedSequence: input.expected_sequence,
    decide: () => only({ changes: input.notes === undefined ? {} : { notes: input.notes } }),
    change: () => ({ kind: 'updated' }),
  });
}

export function cancelAppointmentHandler({ ctx, input }: HandlerOptions<ActingContext, typeof cancelAppointmentInput>) {
  return change(ctx, input.id, cancel(ctx, input.reason, input.expected_sequence));
}

export function rescheduleAppointmentHandler({ ctx, input }: HandlerOptions<ActingContext, typeof rescheduleAppointmentInput>) {
  return change(ctx, input.id, {
    action: 'reschedule',
    reason: input.reason,
    expectedSequence: input.expected_sequence,
    change: (current) => ({ kind: 'rescheduled', previousStart: current.start, previousEnd: current.end, reason: input.reason ?? null }),
    decide: (current) =>
      planMove({ repos: ctx.repos, settings: ctx.services.settings, now: ctx.now }, ctx.user, current, {
        start: input.new_start_time,
        end: input.new_end_time,
        staffId: input.staff_id,
        allowClientOverlap: input.allow_client_overlap,
      }),
  });
}

/** Marking completed or no-show also moves the client's counters (and maybe blocks them) in the same transaction. */
function mark(ctx: AuthedContext, id: number, outcome: 'complete' | 'no_show', reason: string | undefined) {
  const status = STATUS_AFTER[outcome] as 'completed' | 'no_show';
  return change(ctx, id, {
    action: outcome,
    reason,
    decide: () => only({ changes: { status } }),
    change: () => ({ kind: status }),
    alsoWrite: async (repos, updated) => {
      const client = await repos.users.lockForUpdate(updated.clientId);
      const next = countersAfter(client, status, ctx.services.settings.lifecycle);
      await repos.users.setCounters(client.id, { noShowCount: next.noShowCount, completedCount: next.completedCount, isBlocked: next.isBlocked });
      if (next.blockedNow) {
        await repos.userEvents.append({ userId: client.id, ...actedBy(ctx.user), at: ctx.now, action: 'blocked', reason: `Reached ${next.noShowCount} no-shows` });
      }
    },
  });
}

export function markCompletedHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof markAppointmentInput>) {
  return mark(ctx, input.id, 'complete', input.reason);
}

export function markNoShowHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof markAppointmentInput>) {
  return mark(ctx, input.id, 'no_show', input.reason);
}

export async function historyHandler({ ctx, input }: HandlerOptions<AuthedContext, typeof historyInput>) {
  await loadVisibleAppointment(ctx.repos, ctx.user, input.id);
  return (await ctx.repos.appointmentEvents.listFor(input.id)).map(toEventOutput);
}
