import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil as until } from '@appointments/testkit/waiters';
import { startTestSystem, type Engine, type TestSystem } from '@appointments/testkit/worker';
import { parseEnv } from '../env.ts';
import { startWorker, type RunningWorker } from '../worker.ts';

const MINUTE = 60_000;
const password = 'correct-horse-1';
const NOTES = 'Allergic to latex';
/** Two reminders, two and one minute before the start. */
const LEADS = { REMINDER_LEAD_MINUTES: '2,1' };

interface Appointment {
  readonly id: number;
  readonly start_time: string;
}
interface NotificationRow {
  readonly id: number;
  readonly kind: string;
  readonly status: string;
  readonly sequence: number;
  readonly recipient_id: number;
  readonly due_at: string;
  readonly lead_minutes: number | null;
}

const header = (mail: ParsedMail, name: string) => String(mail.headers.get(name) ?? '');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The iTIP attachment's event, parsed by an independent iCalendar parser. */
function eventOf(mail: ParsedMail) {
  const part = mail.attachments.find((a) => a.contentType === 'text/calendar');
  if (!part) throw new Error(`no text/calendar part in "${mail.subject}"`);
  const event = new ICAL.Component(ICAL.parse(part.content.toString('utf8'))).getFirstSubcomponent('vevent')!;
  return {
    sequence: event.getFirstPropertyValue('sequence'),
    start: (event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().getTime(),
    description: event.getFirstPropertyValue('description') ?? null,
  };
}

describe.each(['sqlite', 'postgresql'] as Engine[])('reminders per lead time and notes privacy on %s', (engine) => {
  let sys: TestSystem<RunningWorker>;
  let worker: RunningWorker;
  const tokens: Record<string, string> = {};
  const ids: Record<string, number> = {};

  const mailsFor = (appointmentId: number) => sys.sink.messages.filter((m) => header(m, 'x-appointment-id') === String(appointmentId));
  const reminders = (appointmentId: number) => mailsFor(appointmentId).filter((m) => m.subject?.startsWith('Reminder:'));
  const rows = (appointmentId: number) =>
    sys.call<{ items: NotificationRow[] }>(sys.adminToken, 'GET', `/api/v1/admin/notifications?appointment_id=${appointmentId}&limit=50`).then((p) => p.items);
  /** One hour from `start` (a whole minute), as `client` with `staff`, with notes. */
  const book = (start: number, staff: string, client: string) =>
    sys.call<Appointment>(tokens[client]!, 'POST', '/api/v1/appointments', {
      staff_id: ids[staff],
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + 60 * MINUTE).toISOString(),
      notes: NOTES,
    });
  const confirmations = (appointmentId: number) => until('both confirmations', () => (mailsFor(appointmentId).length >= 2 ? mailsFor(appointmentId) : undefined));
  const restart = async (extra: Record<string, string>) => {
    await worker.stop();
    worker = await sys.startWorker({ ...LEADS, ...extra });
  };
  const inDays = (days: number) => Math.ceil((Date.now() + days * 24 * 60 * MINUTE) / MINUTE) * MINUTE;

  beforeAll(async () => {
    sys = await startTestSystem({ parseEnv, startWorker }, engine);
    for (const [name, role] of [
      ['staff', 'staff'],
      ['staff2', 'staff'],
      ['staff3', 'staff'],
      ['client', 'client'],
      ['client2', 'client'],
      ['client3', 'client'],
    ] as const) {
      ids[name] = (await sys.call<{ id: number }>(sys.adminToken, 'POST', '/api/v1/auth/register', { email: `${name}@example.com`, full_name: name, password, role, timezone: 'UTC' })).id;
      tokens[name] = (await sys.call<{ access_token: string }>(null, 'POST', '/api/v1/auth/login', { username: `${name}@example.com`, password })).access_token;
      if (role !== 'staff') continue;
      for (let day = 0; day < 7; day++) {
        await sys.call(tokens[name]!, 'POST', '/api/v1/availability', { staff_id: ids[name], day_of_week: day, start_time: '00:00:00', end_time: '24:00:00', is_recurring: true });
      }
    }
    worker = await sys.startWorker(LEADS);
  }, 60_000);
  afterAll(() => sys?.close());

  it('carries notes into the email and its invitation by default, and leaves them out of each when its switch is off', async () => {
    for (const mail of await confirmations((await book(inDays(3), 'staff', 'client')).id)) {
      expect(mail.text).toContain(NOTES);
      expect(mail.html).toContain(NOTES);
      expect(eventOf(mail).description).toBe(NOTES);
    }
    await restart({ NOTES_IN_NOTIFICATIONS: 'false' });
    for (const mail of await confirmations((await book(inDays(4), 'staff', 'client')).id)) {
      expect(mail.text).not.toContain(NOTES);
      expect(mail.html).not.toContain(NOTES);
      expect(eventOf(mail).description).toBe(NOTES);
    }
    await restart({ NOTES_IN_NOTIFICATIONS: 'false', NOTES_IN_CALENDAR: 'false' });
    for (const mail of await confirmations((await book(inDays(5), 'staff', 'client')).id)) {
      expect(mail.text).not.toContain(NOTES);
      expect(mail.html).not.toContain(NOTES);
      expect(eventOf(mail).description).toBeNull();
      expect(mail.attachments.find((a) => a.contentType === 'text/calendar')!.content.toString('utf8')).not.toContain('latex');
    }
  }, 60_000);

  it("sends one reminder per lead time (REMINDER_LEAD_MINUTES=2,1), follows a reschedule, none after a cancellation; a service's own list wins", async () => {
    // Reminders fall due at `first` (start − 2 min) and a minute later: `first` is the first whole minute at least 5 s from now.
    const first = Math.ceil((Date.now() + 5_000) / MINUTE) * MINUTE;
    const start = first + 2 * MINUTE;
    const plain = await book(start, 'staff', 'client');
    const moved = await book(start + 3 * 60 * MINUTE, 'staff2', 'client2');
    await sys.call(tokens.client2!, 'POST', `/api/v1/appointments/${moved.id}/reschedule`, {
      new_start_time: new Date(start).toISOString(),
      new_end_time: new Date(start + 60 * MINUTE).toISOString(),
    });
    const cancelled = await book(start + 5 * 60 * MINUTE, 'staff', 'client');
    await sys.call(tokens.staff!, 'POST', `/api/v1/appointments/${cancelled.id}/cancel`, { reason: 'Staff ill' });
    // A service reminding a day and a minute before, booked three hours ahead: the day's lead time has passed.
    const service = await sys.call<{ id: number }>(sys.adminToken, 'POST', '/api/v1/services', {
      name: 'Check-up',
      duration_minutes: 60,
      currency: 'EUR',
      staff_ids: [ids.staff3],
      reminder_lead_minutes: [1440, 1],
    });
    const serviceStart = start + 3 * 60 * MINUTE;
    const booked = await sys.call<Appointment>(tokens.client3!, 'POST', '/api/v1/appointments', { service_id: service.id, staff_id: ids.staff3, start_time: new Date(serviceStart).toISOString() });

    const planned = await until('the reminders of every change recorded', async () => {
      const [p, m, c, s] = await Promise.all([plain, moved, cancelled, booked].map(async (a) => (await rows(a.id)).filter((r) => r.kind === 'reminder')));
      return p!.length === 4 && m!.length === 8 && c!.length === 4 && s!.length === 2 ? { p: p!, m: m!, c: c!, s: s! } : undefined;
    });
    const leadsAndDue = (list: readonly NotificationRow[]) => list.map((r) => [r.lead_minutes, Date.parse(r.due_at)]).sort();
    expect(leadsAndDue(planned.p)).toEqual([[1, start - MINUTE], [1, start - MINUTE], [2, start - 2 * MINUTE], [2, start - 2 * MINUTE]].sort());
    expect(leadsAndDue(planned.s)).toEqual([[1, serviceStart - MINUTE], [1, serviceStart - MINUTE]]);
    // The moved one's first version's reminders are dropped; its new version has one per party and lead time, for the new time.
    expect(leadsAndDue(planned.m.filter((r) => r.sequence === 1))).toEqual(leadsAndDue(planned.p));
    expect(planned.m.filter((r) => r.sequence === 0).map((r) => r.status)).toEqual(['dropped', 'dropped', 'dropped', 'dropped']);
    expect(planned.c.map((r) => r.status)).toEqual(['dropped', 'dropped', 'dropped', 'dropped']);

    await until('every reminder sent', () => (reminders(plain.id).length >= 4 && reminders(moved.id).length >= 4 ? true : undefined), 180_000);
    const byId = new Map([...planned.p, ...planned.m].map((r) => [r.id, r]));
    for (const mail of [...reminders(plain.id), ...reminders(moved.id)]) {
      const row = byId.get(Number(header(mail, 'x-notification-id')))!;
      // Not before its own lead time's due moment.
      expect(mail.date!.getTime()).toBeGreaterThanOrEqual(start - row.lead_minutes! * MINUTE - 1_000);
      expect(eventOf(mail).start).toBe(start);
    }
    expect(reminders(moved.id).map((m) => eventOf(m).sequence)).toEqual([1, 1, 1, 1]);
    // Exactly once per party and lead time, nothing for the cancelled appointment, however often the sweep ran.
    await sleep(2_000);
    expect(reminders(plain.id)).toHaveLength(4);
    expect(reminders(moved.id)).toHaveLength(4);
    expect(reminders(cancelled.id)).toEqual([]);
    const sent = (await rows(plain.id)).filter((r) => r.kind === 'reminder');
    expect(sent.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
  }, 240_000);
});
