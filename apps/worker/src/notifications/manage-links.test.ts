import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUES } from '@appointments/domain';
import { setUpAllDayStaff } from '@appointments/testkit/api';
import { isAppointmentEmail, startTestSystem, type Engine, type TestSystem } from '@appointments/testkit/worker';
import { parseEnv } from '../env.ts';
import { startWorker, type RunningWorker } from '../worker.ts';

const HOUR = 3_600_000;
/** The key startApiProcess gives the API: the worker must sign with the same one. */
const API_SECRET_KEY = 'test-secret-key-0123456789';

const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address;
/** The one manage link of an email: the button in the HTML, and the same URL in the text part. */
function manageLink(mail: ParsedMail): string | undefined {
  const href = /<a class="button" href="([^"]+)"/.exec(typeof mail.html === 'string' ? mail.html : '')?.[1]?.replaceAll('&amp;', '&');
  if (href) expect(mail.text).toContain(`[${href}]`);
  return href;
}

/** Emails from the worker, read from a real SMTP server; their links opened on a real API process. */
describe.each(['sqlite', 'postgresql'] as Engine[])('manage links in emails on %s', (engine) => {
  let sys: TestSystem<RunningWorker>;
  let worker: RunningWorker;
  let people: Awaited<ReturnType<typeof setUpAllDayStaff>>;
  let hour = 0;
  const nextStart = () => new Date(people.next + hour++ * HOUR);

  const book = async (start: Date) =>
    sys.call<{ id: number }>(people.client, 'POST', '/api/v1/appointments', { staff_id: people.staffId, start_time: start.toISOString(), end_time: new Date(start.getTime() + HOUR).toISOString() });
  /** The next two emails (client's and staff member's), by recipient. */
  async function nextPair(): Promise<{ client: ParsedMail; staff: ParsedMail }> {
    // Registration's verification links go out too: only the appointment's emails are counted.
    const all = await sys.sink.waitFor(sys.sink.messages.filter(isAppointmentEmail).length + 2, 20_000, isAppointmentEmail);
    const pair = all.slice(-2);
    return { client: pair.find((mail) => to(mail) === 'client@example.com')!, staff: pair.find((mail) => to(mail) === 'staff@example.com')! };
  }
  const open = (url: string, method = 'GET', json?: unknown) =>
    fetch(url, { method, ...(json !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }) });

  beforeAll(async () => {
    sys = await startTestSystem({ parseEnv, startWorker }, engine);
    people = await setUpAllDayStaff(sys.api, 'correct-horse-1');
    worker = await sys.startWorker({ SECRET_KEY: API_SECRET_KEY, PUBLIC_URL: sys.api.url });
  }, 60_000);
  afterAll(() => sys?.close());

  it("gives the client a working link in each email, for the version it describes; the staff member's has none", async () => {
    const booked = await book(nextStart());
    const confirmed = await nextPair();
    expect(manageLink(confirmed.staff)).toBeUndefined();
    const first = manageLink(confirmed.client)!;
    expect(first).toMatch(new RegExp(`^${sys.api.url}/api/v1/manage/${booked.id}\\.0\\.[\\w-]{32}$`));
    expect(confirmed.client.text).toContain(CATALOGUES.en.appointment.manageLink.manage);
    const shown = await open(first);
    expect(shown.status).toBe(200);
    expect(await shown.json()).toMatchObject({ id: booked.id, status: 'scheduled', sequence: 0 });

    // Rescheduled through the link: the notice carries a new link; the old one is retired.
    const later = nextStart();
    const moved = await open(`${first}/reschedule`, 'POST', { new_start_time: later.toISOString(), new_end_time: new Date(later.getTime() + HOUR).toISOString() });
    expect(moved.status, await moved.clone().text()).toBe(200);
    const notice = await nextPair();
    expect(notice.client.subject).toMatch(/^Rescheduled: /);
    const second = manageLink(notice.client)!;
    expect(second).toMatch(new RegExp(`/api/v1/manage/${booked.id}\\.1\\.`));
    expect((await open(first)).status).toBe(410);
    expect(await (await open(second)).json()).toMatchObject({ id: booked.id, start_time: later.toISOString(), sequence: 1 });

    // Cancelled through the new link: the client's notice still links to the appointment, to see.
    expect((await open(`${second}/cancel`, 'POST', { reason: 'Travelling' })).status).toBe(200);
    const cancelled = await nextPair();
    expect(cancelled.client.text).toContain(CATALOGUES.en.appointment.manageLink.view);
    expect(await (await open(manageLink(cancelled.client)!)).json()).toMatchObject({ status: 'cancelled', sequence: 2 });
    expect((await open(second)).status).toBe(410);
  });

  it("points links at MANAGE_URL_TEMPLATE, whose token the API accepts", async () => {
    await worker.stop();
    worker = await sys.startWorker({ SECRET_KEY: API_SECRET_KEY, MANAGE_URL_TEMPLATE: 'https://clinic.example/booking/{token}?from=email' });
    const booked = await book(nextStart());
    const link = manageLink((await nextPair()).client)!;
    const token = /^https:\/\/clinic\.example\/booking\/([^?]+)\?from=email$/.exec(link)?.[1];
    expect(token).toMatch(new RegExp(`^${booked.id}\\.0\\.`));
    expect(await (await open(`${sys.api.url}/api/v1/manage/${token}`)).json()).toMatchObject({ id: booked.id });
  });
});
