import { describe, expect, it } from 'vitest';
import { calendarMethodFor, notificationVerdict, outboxEffect, planNotifications, planReminders, reminderDueAt, type NotifiedAppointment, type RecordedChange } from './plan.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2030-03-04T08:00:00.000Z');
const LEAD = { reminderLeadMs: 24 * HOUR };
const appointment = (overrides: Partial<NotifiedAppointment> = {}): NotifiedAppointment => ({
  clientId: 1,
  staffId: 2,
  start: NOW + 48 * HOUR,
  status: 'scheduled',
  sequence: 0,
  ...overrides,
});

describe('reminderDueAt', () => {
  it('is the lead time before the start while that is still ahead', () => {
    expect(reminderDueAt(NOW + 48 * HOUR, LEAD, NOW)).toBe(NOW + 24 * HOUR);
    expect(reminderDueAt(NOW + 24 * HOUR + 1, LEAD, NOW)).toBe(NOW + 1);
  });
  it('is null inside the lead time (the confirmation serves)', () => {
    expect(reminderDueAt(NOW + 24 * HOUR, LEAD, NOW)).toBeNull();
    expect(reminderDueAt(NOW + HOUR, LEAD, NOW)).toBeNull();
    expect(reminderDueAt(NOW - HOUR, LEAD, NOW)).toBeNull();
  });
});

describe('planNotifications', () => {
  it('a booking: a confirmation to each party now, and a reminder to each at start − lead', () => {
    const planned = planNotifications(appointment(), { kind: 'booked' }, LEAD, NOW);
    expect(planned).toEqual([
      { kind: 'confirmation', recipientId: 1, sequence: 0, dueAt: NOW, details: {} },
      { kind: 'confirmation', recipientId: 2, sequence: 0, dueAt: NOW, details: {} },
      { kind: 'reminder', recipientId: 1, sequence: 0, dueAt: NOW + 24 * HOUR, details: {} },
      { kind: 'reminder', recipientId: 2, sequence: 0, dueAt: NOW + 24 * HOUR, details: {} },
    ]);
  });

  it('a booking inside the lead time gets no reminder', () => {
    expect(planNotifications(appointment({ start: NOW + 2 * HOUR }), { kind: 'booked' }, LEAD, NOW).map((n) => n.kind)).toEqual(['confirmation', 'confirmation']);
  });

  it('a reschedule: the notice carries the old time and reason; the reminders follow the new time and version', () => {
    const moved = appointment({ start: NOW + 72 * HOUR, sequence: 1 });
    const planned = planNotifications(moved, { kind: 'rescheduled', previousStart: NOW + 48 * HOUR, previousEnd: NOW + 49 * HOUR, reason: 'Clash' }, LEAD, NOW);
    expect(planned.filter((n) => n.kind === 'reschedule').map((n) => n.details)).toEqual([
      { previousStart: NOW + 48 * HOUR, previousEnd: NOW + 49 * HOUR, reason: 'Clash' },
      { previousStart: NOW + 48 * HOUR, previousEnd: NOW + 49 * HOUR, reason: 'Clash' },
    ]);
    expect(planned.filter((n) => n.kind === 'reminder').map((n) => [n.sequence, n.dueAt])).toEqual([
      [1, NOW + 48 * HOUR],
      [1, NOW + 48 * HOUR],
    ]);
  });

  it('a move to another staff member: the client hears of the move, the new staff member of a booking, the previous one of a cancellation at the old time', () => {
    const moved = appointment({ staffId: 5, start: NOW + 72 * HOUR, sequence: 1 });
    const change = { kind: 'rescheduled', previousStart: NOW + 48 * HOUR, previousEnd: NOW + 49 * HOUR, reason: 'Clash', previousStaffId: 2 } as const;
    const planned = planNotifications(moved, change, LEAD, NOW);
    expect(planned.filter((n) => n.kind !== 'reminder').map((n) => [n.kind, n.recipientId, n.sequence, n.dueAt, n.details])).toEqual([
      ['reschedule', 1, 1, NOW, { previousStart: NOW + 48 * HOUR, previousEnd: NOW + 49 * HOUR, reason: 'Clash' }],
      ['confirmation', 5, 1, NOW, {}],
      ['cancellation', 2, 1, NOW, { previousStart: NOW + 48 * HOUR, previousEnd: NOW + 49 * HOUR, reason: 'Clash' }],
    ]);
    expect(planned.filter((n) => n.kind === 'reminder').map((n) => n.recipientId)).toEqual([1, 5]);
    // Staying with the same staff member is an ordinary reschedule.
    expect(planNotifications(appointment({ sequence: 1 }), change, LEAD, NOW).filter((n) => n.kind !== 'reminder').map((n) => n.kind)).toEqual(['reschedule', 'reschedule']);
  });

  it('a cancellation: a notice to each party saying who and why, and no reminder', () => {
    const by = { id: 2, name: 'Dr Who', role: 'staff' as const };
    const planned = planNotifications(appointment({ status: 'cancelled', sequence: 1 }), { kind: 'cancelled', by, reason: null }, LEAD, NOW);
    expect(planned).toEqual([
      { kind: 'cancellation', recipientId: 1, sequence: 1, dueAt: NOW, details: { cancelledBy: by, reason: null } },
      { kind: 'cancellation', recipientId: 2, sequence: 1, dueAt: NOW, details: { cancelledBy: by, reason: null } },
    ]);
  });

  it('planReminders agrees with the booking plan, so the sweep re-creates exactly what booking would have', () => {
    const a = appointment();
    expect(planReminders(a, LEAD, NOW)).toEqual(planNotifications(a, { kind: 'booked' }, LEAD, NOW).filter((n) => n.kind === 'reminder'));
    expect(planReminders(appointment({ status: 'no_show' }), LEAD, NOW)).toEqual([]);
  });
});

describe('outboxEffect', () => {
  const recorded = (overrides: Partial<RecordedChange> = {}): RecordedChange => ({ clientId: 1, staffId: 2, sequence: 0, start: NOW + 48 * HOUR, change: { kind: 'booked' }, at: NOW, ...overrides });

  it('a change that tells someone supersedes: its plan, judged as of the change', () => {
    expect(outboxEffect(recorded(), LEAD)).toEqual({ kind: 'supersede', planned: planNotifications(appointment(), { kind: 'booked' }, LEAD, NOW) });
    // Booked 2 h before the start: no reminder, though the worker only gets to it after the reminder time would have come.
    const late = outboxEffect(recorded({ start: NOW + 2 * HOUR }), LEAD);
    expect(late.kind === 'supersede' && late.planned.map((n) => [n.kind, n.dueAt])).toEqual([['confirmation', NOW], ['confirmation', NOW]]);
  });

  it('a reschedule plans for its version and start; a cancellation plans no reminder', () => {
    const change = { kind: 'rescheduled', previousStart: NOW + 48 * HOUR, previousEnd: NOW + 49 * HOUR, reason: null } as const;
    const moved = outboxEffect(recorded({ sequence: 3, start: NOW + 72 * HOUR, change }), LEAD);
    expect(moved).toEqual({ kind: 'supersede', planned: planNotifications(appointment({ sequence: 3, start: NOW + 72 * HOUR }), change, LEAD, NOW) });
    const cancelled = outboxEffect(recorded({ sequence: 1, change: { kind: 'cancelled', by: { id: 1, name: 'C', role: 'client' }, reason: 'x' } }), LEAD);
    expect(cancelled.kind === 'supersede' && cancelled.planned.map((n) => `${n.kind}/${n.sequence}`)).toEqual(['cancellation/1', 'cancellation/1']);
  });

  it('notes and marking tell nobody: the version before carries over', () => {
    for (const kind of ['updated', 'completed', 'no_show'] as const) expect(outboxEffect(recorded({ sequence: 4, change: { kind } }), LEAD)).toEqual({ kind: 'carry_over', from: 3 });
  });
});

describe('notificationVerdict', () => {
  it('sends what is about the current version', () => {
    expect(notificationVerdict({ kind: 'confirmation', sequence: 0 }, appointment(), NOW)).toEqual({ send: true });
    expect(notificationVerdict({ kind: 'cancellation', sequence: 1 }, appointment({ status: 'cancelled', sequence: 1 }), NOW)).toEqual({ send: true });
  });
  it('drops anything about an older version', () => {
    const verdict = notificationVerdict({ kind: 'reminder', sequence: 0 }, appointment({ sequence: 1 }), NOW);
    expect(verdict).toEqual({ send: false, reason: 'appointment changed since (sequence 0 → 1)' });
  });
  it('drops a reminder once the appointment is no longer scheduled or has started', () => {
    expect(notificationVerdict({ kind: 'reminder', sequence: 0 }, appointment({ status: 'completed' }), NOW).send).toBe(false);
    const a = appointment();
    expect(notificationVerdict({ kind: 'reminder', sequence: 0 }, a, a.start).send).toBe(false);
    expect(notificationVerdict({ kind: 'reminder', sequence: 0 }, a, a.start - 1).send).toBe(true);
  });
});

it('cancellations carry METHOD:CANCEL, everything else METHOD:REQUEST', () => {
  expect(calendarMethodFor('cancellation')).toBe('CANCEL');
  for (const kind of ['confirmation', 'reschedule', 'reminder'] as const) expect(calendarMethodFor(kind)).toBe('REQUEST');
});
