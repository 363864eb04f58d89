import { describe, expect, it } from 'vitest';
import { calendarMethodFor, notificationVerdict, outboxEffect, planNotifications, planReminders, reminderDueAt, type NotifiedAppointment, type PlannedNotification, type RecordedChange } from './plan.ts';
import { reminderLeadMinutesSchema, reminderLeadsFor } from './reminder-leads.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2030-03-04T08:00:00.000Z');
/** REMINDER_LEAD_MINUTES=1440. */
const LEAD = [24 * 60];
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
    expect(reminderDueAt(NOW + 48 * HOUR, 24 * 60, NOW)).toBe(NOW + 24 * HOUR);
    expect(reminderDueAt(NOW + 24 * HOUR + 1, 24 * 60, NOW)).toBe(NOW + 1);
  });
  it('is null inside the lead time (the confirmation serves)', () => {
    expect(reminderDueAt(NOW + 24 * HOUR, 24 * 60, NOW)).toBeNull();
    expect(reminderDueAt(NOW + HOUR, 24 * 60, NOW)).toBeNull();
    expect(reminderDueAt(NOW - HOUR, 24 * 60, NOW)).toBeNull();
  });
});

describe('planNotifications', () => {
  it('a booking: a confirmation to each party now, and a reminder to each at start − lead', () => {
    const planned = planNotifications(appointment(), { kind: 'booked' }, LEAD, NOW);
    expect(planned).toEqual([
      { kind: 'confirmation', recipientId: 1, sequence: 0, dueAt: NOW, leadMinutes: null, details: {} },
      { kind: 'confirmation', recipientId: 2, sequence: 0, dueAt: NOW, leadMinutes: null, details: {} },
      { kind: 'reminder', recipientId: 1, sequence: 0, dueAt: NOW + 24 * HOUR, leadMinutes: 1440, details: {} },
      { kind: 'reminder', recipientId: 2, sequence: 0, dueAt: NOW + 24 * HOUR, leadMinutes: 1440, details: {} },
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
      { kind: 'cancellation', recipientId: 1, sequence: 1, dueAt: NOW, leadMinutes: null, details: { cancelledBy: by, reason: null } },
      { kind: 'cancellation', recipientId: 2, sequence: 1, dueAt: NOW, leadMinutes: null, details: { cancelledBy: by, reason: null } },
    ]);
  });

  it('planReminders agrees with the booking plan, so the sweep re-creates exactly what booking would have', () => {
    const a = appointment();
    expect(planReminders(a, LEAD, NOW)).toEqual(planNotifications(a, { kind: 'booked' }, LEAD, NOW).filter((n) => n.kind === 'reminder'));
    expect(planReminders(appointment({ status: 'no_show' }), LEAD, NOW)).toEqual([]);
  });
});

describe('several lead times (REMINDER_LEAD_MINUTES=1440,60)', () => {
  const LEADS = [1440, 60];
  const reminders = (planned: readonly PlannedNotification[]) => planned.filter((n) => n.kind === 'reminder').map((n) => [n.recipientId, n.leadMinutes, n.dueAt, n.sequence]);

  it('a booking: one reminder per party and lead time, each at start − its lead', () => {
    const start = NOW + 48 * HOUR;
    expect(reminders(planNotifications(appointment({ start }), { kind: 'booked' }, LEADS, NOW))).toEqual([
      [1, 1440, start - 24 * HOUR, 0],
      [2, 1440, start - 24 * HOUR, 0],
      [1, 60, start - HOUR, 0],
      [2, 60, start - HOUR, 0],
    ]);
  });

  it('a lead time already passed when booked gets no reminder; the later ones still go', () => {
    const start = NOW + 3 * HOUR;
    expect(reminders(planNotifications(appointment({ start }), { kind: 'booked' }, LEADS, NOW))).toEqual([
      [1, 60, start - HOUR, 0],
      [2, 60, start - HOUR, 0],
    ]);
    expect(reminders(planNotifications(appointment({ start: NOW + HOUR }), { kind: 'booked' }, LEADS, NOW))).toEqual([]);
  });

  it('a reschedule: once per lead time for the new time and version, passed ones left out', () => {
    const change = { kind: 'rescheduled', previousStart: NOW + 48 * HOUR, previousEnd: NOW + 49 * HOUR, reason: null } as const;
    const later = NOW + 72 * HOUR;
    expect(reminders(planNotifications(appointment({ start: later, sequence: 1 }), change, LEADS, NOW))).toEqual([
      [1, 1440, later - 24 * HOUR, 1],
      [2, 1440, later - 24 * HOUR, 1],
      [1, 60, later - HOUR, 1],
      [2, 60, later - HOUR, 1],
    ]);
    const sooner = NOW + 5 * HOUR;
    expect(reminders(planNotifications(appointment({ start: sooner, sequence: 2 }), change, LEADS, NOW))).toEqual([
      [1, 60, sooner - HOUR, 2],
      [2, 60, sooner - HOUR, 2],
    ]);
  });

  it('a cancellation plans none, and each earlier reminder is superseded by its version', () => {
    const cancelled = outboxEffect({ clientId: 1, staffId: 2, sequence: 1, start: NOW + 48 * HOUR, change: { kind: 'cancelled', by: { id: 1, name: 'C', role: 'client' }, reason: null }, at: NOW }, LEADS);
    expect(cancelled.kind === 'supersede' && cancelled.planned.map((n) => n.kind)).toEqual(['cancellation', 'cancellation']);
    for (const leadMinutes of LEADS) {
      expect(notificationVerdict({ kind: 'reminder', sequence: 0 }, appointment({ status: 'cancelled', sequence: 1 }), NOW + 48 * HOUR - leadMinutes * 60_000).send).toBe(false);
    }
  });

  it("a service's own list replaces the deployment's; an empty one sends no reminder", () => {
    const settings = { reminderLeadMinutes: LEADS };
    expect(reminderLeadsFor(null, settings)).toEqual(LEADS);
    expect(reminderLeadsFor([30], settings)).toEqual([30]);
    expect(planReminders(appointment(), reminderLeadsFor([], settings), NOW)).toEqual([]);
  });
});

describe('reminderLeadMinutesSchema', () => {
  it('deduplicates and sorts, longest first', () => {
    expect(reminderLeadMinutesSchema.parse([60, 1440, 60, 10])).toEqual([1440, 60, 10]);
    expect(reminderLeadMinutesSchema.parse([])).toEqual([]);
  });
  it('refuses what is not a whole number of minutes from 1 to a year, or too many', () => {
    for (const bad of [[0], [-5], [1.5], [525_601], Array.from({ length: 11 }, (_, i) => i + 1)]) expect(reminderLeadMinutesSchema.safeParse(bad).success).toBe(false);
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
