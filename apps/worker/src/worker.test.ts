import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, parseDatabaseUrl } from '@appointments/db';
import { pollUntil as until } from '@appointments/testkit/waiters';
import { startTestSystem, type Engine, type TestSystem } from '@appointments/testkit/worker';
import { parseEnv } from './env.ts';
import { startWorker, type RunningWorker } from './worker.ts';

const MINUTE = 60_000;
const password = 'correct-horse-1';

interface Appointment {
  id: number;
  sequence: number;
  start_time: string;
}
interface NotificationRow {
  id: number;
  appointment_id: number;
  kind: string;
  status: string;
  sequence: number;
  recipient_id: number;
  attempts: number;
  last_error: string | null;
}

/** The iTIP part of an email, parsed by an independent iCalendar parser. */
function calendarOf(mail: ParsedMail) {
  const part = mail.attachments.find((a) => a.contentType === 'text/calendar');
  if (!part) throw new Error(`no text/calendar part in "${mail.subject}"`);
  const calendar = new ICAL.Component(ICAL.parse(part.content.toString('utf8')));
  const event = calendar.getFirstSubcomponent('vevent')!;
  return {
    method: calendar.getFirstPropertyValue('method'),
    contentType: part.headers.get('content-type'),
    uid: event.getFirstPropertyValue('uid'),
    sequence: event.getFirstPropertyValue('sequence'),
    start: (event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().getTime(),
    summary: event.getFirstPropertyValue('summary'),
    location: event.getFirstPropertyValue('location'),
  };
}
const header = (mail: ParsedMail, name: string) => String(mail.headers.get(name) ?? '');
const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(['sqlite', 'postgresql'] as Engine[])('notification worker on %s', (engine) => {
  let sys: TestSystem<RunningWorker>;
  const tokens: Record<string, string> = {};
  const ids: Record<string, number> = {};
  let healthUrl: string;

  const mailsFor = (appointmentId: number) => sys.sink.messages.filter((m) => header(m, 'x-appointment-id') === String(appointmentId));
  const rows = (appointmentId: number) =>
    sys.call<{ items: NotificationRow[] }>(sys.adminToken, 'GET', `/api/v1/admin/notifications?appointment_id=${appointmentId}&limit=50`).then((p) => p.items);
  /** Both confirmations, once both were mailed and marked sent; undefined until then. */
  const sentConfirmations = async (appointmentId: number) => {
    const confirmations = (await rows(appointmentId)).filter((r) => r.kind === 'confirmation');
    return mailsFor(appointmentId).length >= 2 && confirmations.length === 2 && confirmations.every((r) => r.status === 'sent') ? confirmations : undefined;
  };
  /** Books at `start` (ms; the whole minute at or after it) for one hour, as `client`. */
  const book = (start: number, staff = 'staff', client = 'client') => {
    const at = Math.ceil(start / MINUTE) * MINUTE;
    return sys.call<Appointment>(tokens[client]!, 'POST', '/api/v1/appointments', {
      staff_id: ids[staff],
      start_time: new Date(at).toISOString(),
      end_time: new Date(at + 60 * MINUTE).toISOString(),
      notes: 'Bring <b>forms</b> & ID',
    });
  };

  beforeAll(async () => {
    sys = await startTestSystem({ parseEnv, startWorker }, engine);
    const people = [
      ['staff', 'staff', 'America/New_York', 'Dr. Sam Staff'],
      ['staff2', 'staff', 'Asia/Kolkata', 'Dr. Ravi Second'],
      ['client', 'client', 'Europe/Berlin', 'Ana <Client>'],
      ['client2', 'client', 'UTC', 'Bo Client'],
    ] as const;
    for (const [name, role, timezone, fullName] of people) {
      const user = await sys.call<{ id: number }>(sys.adminToken, 'POST', '/api/v1/auth/register', { email: `${name}@example.com`, full_name: fullName, password, role, timezone });
      ids[name] = user.id;
      tokens[name] = (await sys.call<{ access_token: string }>(null, 'POST', '/api/v1/auth/login', { username: `${name}@example.com`, password })).access_token;
    }
    for (const staff of ['staff', 'staff2']) {
      for (let day = 0; day < 7; day++) {
        await sys.call(tokens[staff]!, 'POST', '/api/v1/availability', { staff_id: ids[staff], day_of_week: day, start_time: '00:00:00', end_time: '24:00:00', is_recurring: true });
      }
    }
    healthUrl = (await sys.startWorker()).healthUrl;
  }, 60_000);
  afterAll(() => sys?.close());

  it('answers GET /healthz while the queue is up and the relay runs', async () => {
    const res = await fetch(healthUrl);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', queue: engine === 'sqlite' ? 'pglite' : 'postgresql' });
    expect((await fetch(healthUrl.replace('/healthz', '/nope'))).status).toBe(404);
  });

  it('confirms a booking to both parties: HTML and text, their own time zones, an iTIP REQUEST', async () => {
    const start = Math.ceil((Date.now() + 3 * 24 * 60 * MINUTE) / MINUTE) * MINUTE;
    const appointment = await book(start);
    const mails = await until('two confirmations', () => (mailsFor(appointment.id).length >= 2 ? mailsFor(appointment.id) : undefined));
    const byRecipient = new Map(mails.map((m) => [to(m), m]));
    const toClient = byRecipient.get('client@example.com')!;
    const toStaff = byRecipient.get('staff@example.com')!;
    expect(toClient.subject).toMatch(/^Confirmed: appointment with Dr\. Sam Staff on /);
    // Zones by name and offset at the appointment's instant, not by id.
    expect(toClient.html).toMatch(/Central European (Standard|Summer) Time \(UTC\+[12]\)/);
    expect(toStaff.html).toMatch(/Eastern (Standard|Daylight) Time \(UTC-[45]\)/);
    expect(toClient.text).not.toContain('Europe/Berlin');
    // Names and notes typed by users arrive escaped in HTML, verbatim in text.
    expect(toStaff.html).toContain('Ana &lt;Client&gt;');
    expect(toStaff.html).not.toContain('<b>forms</b>');
    expect(toStaff.text).toContain('Bring <b>forms</b> & ID');
    for (const mail of [toClient, toStaff]) {
      const ics = calendarOf(mail);
      expect(ics).toMatchObject({ method: 'REQUEST', uid: `appointment-${appointment.id}@appointments.localhost`, sequence: 0, start, location: null });
      // Booked by its times alone: no service, no place.
      expect(mail.text).not.toMatch(/Service|Where/);
      expect(ics.contentType).toMatchObject({ value: 'text/calendar', params: { method: 'REQUEST' } });
    }
    await until('rows marked sent', async () => {
      const sent = (await rows(appointment.id)).filter((r) => r.kind === 'confirmation' && r.status === 'sent');
      return sent.length === 2 ? sent : undefined;
    });
  });

  it('writes to each party in their own language: German to a client who chose it, English to the staff member who chose none', async () => {
    const german = await sys.call<{ id: number }>(sys.adminToken, 'POST', '/api/v1/auth/register', {
      email: 'klara@example.com',
      full_name: 'Klara Klient',
      password,
      role: 'client',
      timezone: 'Europe/Berlin',
      locale: 'de-DE',
    });
    ids.german = german.id;
    tokens.german = (await sys.call<{ access_token: string }>(null, 'POST', '/api/v1/auth/login', { username: 'klara@example.com', password })).access_token;
    const appointment = await book(Date.now() + 9 * 24 * 60 * MINUTE, 'staff', 'german');
    const mails = await until('two confirmations', () => (mailsFor(appointment.id).length >= 2 ? mailsFor(appointment.id) : undefined));
    const toClient = mails.find((m) => to(m) === 'klara@example.com')!;
    const toStaff = mails.find((m) => to(m) === 'staff@example.com')!;
    expect(toClient.subject).toMatch(/^Bestätigt: Termin mit Dr\. Sam Staff am \w+, \d+\. \w+ \d{4} um \d\d:\d\d$/);
    expect(toClient.text).toContain('Guten Tag Klara Klient,');
    expect(toClient.text).toMatch(/Wann\n.*Mitteleuropäische (Normalzeit|Sommerzeit) \(UTC\+[12]\)/);
    expect(toClient.html).toContain('<html lang="de">');
    expect(toStaff.subject).toMatch(/^Confirmed: appointment with Klara Klient on /);
    expect(toStaff.text).toContain('Hello Dr. Sam Staff,');
  });

  it('names the service in the subject, the body and the invitation, and shows its location', async () => {
    const location = 'Room 2, Torstraße 1; Berlin';
    const service = await sys.call<{ id: number }>(sys.adminToken, 'POST', '/api/v1/services', { name: 'Haircut', duration_minutes: 60, currency: 'EUR', location, staff_ids: [ids.staff2] });
    // Written as a booking writes it (with its change for the worker): booking by service is the API's concern, not this test's.
    const db = await Database.open(parseDatabaseUrl(sys.api.databaseUrl, sys.dataDir), { migrate: false });
    const start = Math.ceil((Date.now() + 5 * 24 * 60 * MINUTE) / MINUTE) * MINUTE;
    const span = { start, end: start + 60 * MINUTE, bufferedStart: start, bufferedEnd: start + 60 * MINUTE };
    const appointment = await db
      .fork()
      .appointments.book({ clientId: ids.client2!, staffId: ids.staff2!, ...span, notes: null, serviceId: service.id, actorId: ids.client2!, actorApiKeyId: null, at: Date.now() })
      .finally(() => db.close());
    const mails = await until('two confirmations', () => (mailsFor(appointment.id).length >= 2 ? mailsFor(appointment.id) : undefined));
    const byRecipient = new Map(mails.map((m) => [to(m), m]));
    const toClient = byRecipient.get('client2@example.com')!;
    const toStaff = byRecipient.get('staff2@example.com')!;
    expect(toClient.subject).toMatch(/^Confirmed: Haircut with Dr\. Ravi Second on /);
    expect(toStaff.subject).toMatch(/^Confirmed: Haircut with Bo Client on /);
    for (const mail of [toClient, toStaff]) {
      expect(mail.text).toMatch(/Service\s+Haircut/);
      expect(mail.text).toMatch(/Where\s+Room 2, Torstraße 1; Berlin/);
      expect(mail.html).toContain(location);
    }
    expect(calendarOf(toClient)).toMatchObject({ method: 'REQUEST', summary: 'Haircut with Dr. Ravi Second', location });
    expect(calendarOf(toStaff)).toMatchObject({ summary: 'Haircut with Bo Client', location });
  });

  it('reminds once at start − lead, follows a reschedule to the new time, and never reminds a cancelled appointment', async () => {
    // A 1-minute lead: reminders fall due at `due`, the first whole minute (appointments start on
    // whole minutes) at least 5 s from now. The moved one is another client's: one person cannot be
    // in two places.
    const due = Math.ceil((Date.now() + 5_000) / MINUTE) * MINUTE;
    const plain = await book(due + MINUTE);
    const moved = await book(due + MINUTE + 2 * 60 * MINUTE, 'staff2', 'client2');
    const cancelled = await book(due + MINUTE + 4 * 60 * MINUTE);
    const newStart = due + MINUTE;
    await sys.call(tokens.client2!, 'POST', `/api/v1/appointments/${moved.id}/reschedule`, {
      new_start_time: new Date(newStart).toISOString(),
      new_end_time: new Date(newStart + 60 * MINUTE).toISOString(),
      reason: 'Earlier suits',
    });
    await sys.call(tokens.staff!, 'POST', `/api/v1/appointments/${cancelled.id}/cancel`, { reason: 'Staff ill' });

    const reminders = (id: number) => mailsFor(id).filter((m) => m.subject?.startsWith('Reminder:'));
    await until('the reminders', () => (reminders(plain.id).length >= 2 && reminders(moved.id).length >= 2 ? true : undefined), 90_000);
    // Due at start − 1 min, not before.
    for (const mail of reminders(plain.id)) expect(mail.date!.getTime()).toBeGreaterThanOrEqual(due - 1_000);
    expect(calendarOf(reminders(plain.id)[0]!)).toMatchObject({ method: 'REQUEST', sequence: 0 });
    // The moved appointment: its notice carries the old time; its reminder the new time and version.
    const notice = mailsFor(moved.id).find((m) => m.subject?.startsWith('Rescheduled:') && to(m) === 'client2@example.com')!;
    expect(notice.text).toContain('Earlier suits');
    expect(calendarOf(notice)).toMatchObject({ method: 'REQUEST', sequence: 1, start: newStart });
    expect(reminders(moved.id).map((m) => calendarOf(m).start)).toEqual([newStart, newStart]);
    // The cancelled one: a CANCEL to both, naming who cancelled, and (after its reminder time passed) no reminder.
    const cancellations = mailsFor(cancelled.id).filter((m) => m.subject?.startsWith('Cancelled:'));
    expect(cancellations).toHaveLength(2);
    expect(calendarOf(cancellations[0]!)).toMatchObject({ method: 'CANCEL', sequence: 1 });
    const toClient = cancellations.find((m) => to(m) === 'client@example.com')!;
    expect(toClient.text).toMatch(/Cancelled by\s+Dr\. Sam Staff\n/);
    expect(toClient.text).not.toContain('(staff)');
    await sleep(Math.max(0, due + 1_500 - Date.now()));
    expect(reminders(cancelled.id)).toEqual([]);
    expect((await rows(cancelled.id)).filter((r) => r.kind === 'reminder').map((r) => r.status)).toEqual(['dropped', 'dropped']);
    // Exactly once each: one reminder per party for the plain and the moved appointment.
    expect(reminders(plain.id)).toHaveLength(2);
    expect(reminders(moved.id)).toHaveLength(2);
  }, 150_000);

  it('retries while the SMTP server refuses, then delivers', async () => {
    sys.sink.refuse(true);
    const appointment = await book(Date.now() + 5 * 24 * 60 * MINUTE);
    // Both confirmations refused at least once before the server recovers.
    await until('refused attempts', async () => ((await rows(appointment.id)).filter((r) => r.kind === 'confirmation' && r.attempts >= 1).length === 2 ? true : undefined));
    expect(mailsFor(appointment.id)).toEqual([]);
    sys.sink.refuse(false);
    // The sink has a message a moment before the worker commits 'sent': wait for both.
    const confirmations = await until('both confirmations sent', () => sentConfirmations(appointment.id), 30_000);
    expect(confirmations.every((r) => r.status === 'sent' && r.attempts >= 2 && r.last_error?.includes('451'))).toBe(true);
    expect(mailsFor(appointment.id)).toHaveLength(2);
  }, 60_000);

  it('after the last retry a notification is failed (a dead letter) that admins list and retry', async () => {
    sys.sink.refuse(true);
    const appointment = await book(Date.now() + 6 * 24 * 60 * MINUTE);
    // NOTIFY_RETRY_LIMIT=2: three attempts with backoff, then the dead-letter queue.
    const failed = await until(
      'dead letters',
      async () => {
        const list = await sys.call<{ items: NotificationRow[] }>(sys.adminToken, 'GET', '/api/v1/admin/notifications?status=failed&limit=200');
        const mine = list.items.filter((n) => n.appointment_id === appointment.id);
        return mine.length === 2 ? mine : undefined;
      },
      40_000,
    );
    expect(failed.every((n) => n.kind === 'confirmation' && n.attempts === 3 && n.last_error?.includes('451'))).toBe(true);
    sys.sink.refuse(false);
    for (const n of failed) {
      expect(await sys.call<NotificationRow>(sys.adminToken, 'POST', `/api/v1/admin/notifications/${n.id}/retry`)).toMatchObject({ status: 'pending' });
    }
    expect((await until('the retried confirmations sent', () => sentConfirmations(appointment.id))).map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(mailsFor(appointment.id)).toHaveLength(2);
  }, 60_000);
});
