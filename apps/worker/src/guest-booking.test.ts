import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpAllDayStaff } from '@appointments/testkit/api';
import { isAppointmentEmail, startTestSystem, type Engine, type TestSystem } from '@appointments/testkit/worker';
import { parseEnv } from './env.ts';
import { startWorker, type RunningWorker } from './worker.ts';

const password = 'correct-horse-1';
const HOUR = 3_600_000;
const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address;

describe.each(['sqlite', 'postgresql'] as Engine[])('a guest booking, through a real API process, on %s', (engine) => {
  let sys: TestSystem<RunningWorker>;
  let setup: Awaited<ReturnType<typeof setUpAllDayStaff>>;

  beforeAll(async () => {
    sys = await startTestSystem({ parseEnv, startWorker }, engine);
    setup = await setUpAllDayStaff(sys.api, password);
    await sys.startWorker();
  }, 60_000);
  afterAll(() => sys?.close());

  it('confirms by email to the address the guest gave, and to the staff member', async () => {
    const guest = { email: 'gina.guest@example.com', full_name: 'Gina Guest', timezone: 'Europe/Berlin' };
    const body = { staff_id: setup.staffId, start_time: new Date(setup.next).toISOString(), end_time: new Date(setup.next + HOUR).toISOString(), guest };
    const booked = await sys.call<{ id: number; client_id: number }>(null, 'POST', '/api/v1/appointments', body);

    // Registration's verification links go out too: the appointment's emails are the ones counted.
    const mails = await sys.sink.waitFor(2, 20_000, isAppointmentEmail);
    expect(mails.map(to).sort()).toEqual(['gina.guest@example.com', 'staff@example.com']);
    const toGuest = mails.find((mail) => to(mail) === guest.email)!;
    expect(String(toGuest.headers.get('x-appointment-id'))).toBe(String(booked.id));
    expect(toGuest.attachments.map((part) => part.contentType)).toContain('text/calendar');
  });
});
