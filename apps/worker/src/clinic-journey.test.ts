import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpAllDayStaff } from '@appointments/testkit/api';
import { startTestSystem, type Engine, type TestSystem } from '@appointments/testkit/worker';
import { parseEnv } from './env.ts';
import { startWorker, type RunningWorker } from './worker.ts';

const MINUTE = 60_000;
/** The key startApiProcess gives the API: the worker must sign links with the same one. */
const API_SECRET_KEY = 'test-secret-key-0123456789';
const CLINIC = 'Praxis Sonnenschein';
const GUEST = 'anna@example.com';

const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address;
const manageLink = (mail: ParsedMail) => /<a class="button" href="([^"]+)"/.exec(typeof mail.html === 'string' ? mail.html : '')?.[1];
const open = (url: string, method = 'GET', json?: unknown) =>
  fetch(url, { method, ...(json !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }) });
const wholeMinute = (at: number) => Math.ceil(at / MINUTE) * MINUTE;

/**
 * A clinic's client as the product meets them, end to end: a guest books without an account, in
 * German, gets the clinic's branded confirmation with a manage link, moves the appointment through
 * it (the old link is then gone), gets one reminder per lead time for the new time, and cancels
 * through the link of the latest email. A real API process, a real worker, a real SMTP server.
 */
describe.each(['sqlite', 'postgresql'] as Engine[])('a guest of a clinic on %s', (engine) => {
  let sys: TestSystem<RunningWorker>;
  let staffId: number;
  const guestMail = (from: number) => sys.sink.waitFor(from + 1, 20_000, (mail) => to(mail) === GUEST).then((all) => all[from]!);

  beforeAll(async () => {
    // No cancellation window: the appointment is cancelled a minute before it starts, after its reminders.
    sys = await startTestSystem({ parseEnv, startWorker }, engine, { ORGANIZATION_NAME: CLINIC, CANCELLATION_WINDOW_MINUTES: '0' });
    ({ staffId } = await setUpAllDayStaff(sys.api, 'correct-horse-1'));
    await sys.startWorker({ SECRET_KEY: API_SECRET_KEY, PUBLIC_URL: sys.api.url, ORGANIZATION_NAME: CLINIC, REMINDER_LEAD_MINUTES: '2,1' });
  }, 60_000);
  afterAll(() => sys?.close());

  it('books as a guest, manages it from German emails, hears once per lead time, cancels from the latest link', async () => {
    const start = wholeMinute(Date.now()) + 3 * 24 * 60 * MINUTE;
    const booking = await open(`${sys.api.url}/api/v1/appointments/`, 'POST', {
      guest: { email: GUEST, full_name: 'Anna Gast', timezone: 'Europe/Berlin', locale: 'de' },
      staff_id: staffId,
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + 30 * MINUTE).toISOString(),
    });
    expect(booking.status).toBe(201);
    const booked = (await booking.json()) as { id: number };

    const confirmation = await guestMail(0);
    expect(confirmation.subject).toMatch(new RegExp(`^Ihr Termin bei ${CLINIC} ist bestätigt: `));
    expect(confirmation.text).toContain('Termin verwalten');
    expect(confirmation.text).toContain(`Gesendet von ${CLINIC}.`);
    expect(confirmation.text).toMatch(/Mitteleuropäische (Normal|Sommer)zeit \(UTC\+[12]\)/);
    const first = manageLink(confirmation)!;
    expect((await open(first)).status).toBe(200);

    // Moved through the link to soon, so both reminders (2 and 1 minutes before) fall within the test.
    const soon = wholeMinute(Date.now() + 30_000) + 2 * MINUTE;
    const moved = await open(`${first}/reschedule`, 'POST', { new_start_time: new Date(soon).toISOString(), new_end_time: new Date(soon + 30 * MINUTE).toISOString() });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ id: booked.id, staff_id: staffId, sequence: 1, start_time: new Date(soon).toISOString() });
    expect((await open(first)).status).toBe(410);
    const notice = await guestMail(1);
    expect(notice.subject).toMatch(new RegExp(`^Ihr Termin bei ${CLINIC} wurde auf `));

    const reminders = await sys.sink.waitFor(4, 3 * MINUTE, (mail) => to(mail) === GUEST).then((all) => all.slice(2));
    expect(reminders.map((mail) => mail.subject)).toEqual([expect.stringMatching(/^Erinnerung: /), expect.stringMatching(/^Erinnerung: /)]);

    // The latest email's link cancels it; the cancellation is the last the guest hears.
    const latest = manageLink(reminders[1]!)!;
    const cancelled = await open(`${latest}/cancel`, 'POST', { reason: 'Krank' });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ id: booked.id, status: 'cancelled' });
    const cancellation = await guestMail(4);
    expect(cancellation.subject).toMatch(new RegExp(`^Ihr Termin bei ${CLINIC} am .* wurde abgesagt$`));
    expect(cancellation.text).toContain('Termin ansehen');
    // One reminder per lead time and nothing after the cancellation (a duplicate would follow within a relay pass or two).
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(sys.sink.messages.filter((mail) => to(mail) === GUEST)).toHaveLength(5);
  }, 5 * MINUTE);
});
