import { describe, expect, it } from 'vitest';
import { APPOINTMENT_STATUSES } from '../scheduling/types.ts';
import { authorizeLifecycle, countersAfter, nextSequence, requireScheduled,
  requireSequence, type AppointmentState, type LifecycleAction } from './lifecycle.ts';

const HOUR = 3_600_000;
const now = Date.parse('2026-05-01T10:00:00Z');
const policy = { cancellationWindowMinutes: 120, noShowBlockThreshold: 3 };
const at = (startIn: number): AppointmentState => ({ status: 'scheduled', start: now + startIn, clientId: 10, staffId: 20, sequence: 2 });
const client = { id: 10, role: 'client' as const };
const staff = { id: 20, role: 'staff' as const };
const otherStaff = { id: 21, role: 'staff' as const };
const stranger = { id: 11, role: 'client' as const };
const admin = { id: 1, role: 'admin' as const };
/** The assigned staff member after an admin made them a client, and the client after being made staff. */
const demotedStaff = { id: 20, role: 'client' as const };
const promotedClient = { id: 10, role: 'staff' as const };

describe('appointment lifecycle', () => {
  it.each(APPOINTMENT_STATUSES.filter((s) => s !== 'scheduled'))('refuses every change to a %s appointment with 409', (status) => {
    for (const action of ['update', 'cancel', 'reschedule', 'complete', 'no_show'] as const) {
      expect(() => requireScheduled({ ...at(5 * HOUR), status }, action)).toThrow(expect.objectContaining({ code: 'APPOINTMENT.NOT_SCHEDULED' }));
    }
  });

  type Row = [string, { id: number; role: 'admin' | 'staff' | 'client' }, LifecycleAction, number, string | { policyOverride: boolean }];
  const table: Row[] = [
    ['client cancels in good time', client, 'cancel', 3 * HOUR, { policyOverride: false }],
    ['client cancels inside the window', client, 'cancel', 1 * HOUR, 'APPOINTMENT.WITHIN_CANCELLATION_WINDOW'],
    ['client reschedules inside the window', client, 'reschedule', 119 * 60_000, 'APPOINTMENT.WITHIN_CANCELLATION_WINDOW'],
    ['client reschedules exactly at the window edge', client, 'reschedule', 2 * HOUR, { policyOverride: false }],
    ['staff cancel inside the window', staff, 'cancel', 1 * HOUR, 'APPOINTMENT.WITHIN_CANCELLATION_WINDOW'],
    ['admin overrides the window', admin, 'cancel', 1 * HOUR, { policyOverride: true }],
    ['admin cancels in good time', admin, 'reschedule', 5 * HOUR, { policyOverride: false }],
    ['another client cancels', stranger, 'cancel', 5 * HOUR, 'AUTH.FORBIDDEN'],
    ['another staff member reschedules', otherStaff, 'reschedule', 5 * HOUR, 'AUTH.FORBIDDEN'],
    ['client edits notes inside the window', client, 'update', 10 * 60_000, { policyOverride: false }],
    ['staff marks completed after the start', staff, 'complete', -HOUR, { policyOverride: false }],
    ['staff marks a no-show before the start', staff, 'no_show', HOUR, 'APPOINTMENT.NOT_STARTED'],
    ['client marks completed', client, 'complete', -HOUR, 'AUTH.FORBIDDEN'],
    ['another staff member marks no-show', otherStaff, 'no_show', -HOUR, 'AUTH.FORBIDDEN'],
    ['admin marks no-show at the start', admin, 'no_show', 0, { policyOverride: false }],
    ['the former staff member, now a client, marks no-show', demotedStaff, 'no_show', -HOUR, 'AUTH.FORBIDDEN'],
    ['the former staff member, now a client, cancels', demotedStaff, 'cancel', 5 * HOUR, 'AUTH.FORBIDDEN'],
    ['the former staff member, now a client, edits notes', demotedStaff, 'update', 5 * HOUR, 'AUTH.FORBIDDEN'],
    ['the former client, now staff, reschedules', promotedClient, 'reschedule', 5 * HOUR, 'AUTH.FORBIDDEN'],
    ['the former client, now staff, marks completed', promotedClient, 'complete', -HOUR, 'AUTH.FORBIDDEN'],
  ];
  it.each(table)('%s', (_label, actor, action, startIn, expected) => {
    const attempt = () => authorizeLifecycle(actor, requireScheduled(at(startIn), action), action, now, policy);
    if (typeof expected === 'string') expect(attempt).toThrow(expect.objectContaining({ code: expected }));
    else expect(attempt()).toEqual(expected);
  });

  it('accepts only scheduled appointments at compile time', () => {
    const cancelled: AppointmentState = { ...at(5 * HOUR), status: 'cancelled' };
    // @ts-expect-error: a cancelled appointment is not Scheduled; it must pass requireScheduled first
    const unchecked = () => authorizeLifecycle(admin, cancelled, 'cancel', now, policy);
    expect(unchecked).not.toThrow(); // the type checker is what refuses it (typecheck runs in CI)
    expect(() => requireScheduled(cancelled, 'cancel')).toThrow(expect.objectContaining({ code: 'APPOINTMENT.NOT_SCHEDULED' }));
  });

  it('raises the version (the calendar sequence) on every change', () => {
    expect(nextSequence(at(0))).toBe(3);
  });

  it('refuses a change meant for another version, and takes one meant for this one or none', () => {
    expect(() => requireSequence(at(0), 1)).toThrow(expect.objectContaining({ code: 'APPOINTMENT.CHANGED_CONCURRENTLY' }));
    expect(() => requireSequence(at(0), 3)).toThrow(expect.objectContaining({ code: 'APPOINTMENT.CHANGED_CONCURRENTLY' }));
    expect(() => requireSequence(at(0), 2)).not.toThrow();
    expect(() => requireSequence(at(0), undefined)).not.toThrow();
  });

  it('counts no-shows, blocks at the threshold once, and counts completions', () => {
    let counters = { noShowCount: 0, completedCount: 0, isBlocked: false };
    const blockedNow: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const next = countersAfter(counters, 'no_show', policy);
      blockedNow.push(next.blockedNow);
      counters = next;
    }
    expect(counters).toMatchObject({ noShowCount: 4, isBlocked: true });
    expect(blockedNow).toEqual([false, false, true, false]);
    expect(countersAfter(counters, 'completed', policy)).toMatchObject({ completedCount: 1, noShowCount: 4, isBlocked: true });
    // An admin's unblock keeps the count: the next no-show blocks again.
    expect(countersAfter({ ...counters, isBlocked: false }, 'no_show', policy)).toMatchObject({ isBlocked: true, blockedNow: true });
  });
});
