import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '@appointments/testkit/api';
import { postgresTestTarget, type TestTarget } from '@appointments/testkit/db';
import { spawnApi, spawnWorker, type NodeProcess } from '@appointments/testkit/processes';
import { startSmtpSink, type SmtpSink } from '@appointments/testkit/smtp';
import { isAppointmentEmail } from '@appointments/testkit/worker';

const MINUTE = 60_000;
const password = 'correct-horse-1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Scale-out as deployed: two API processes and two worker processes on one PostgreSQL database
 * (data and queue), each a real process started the way a supervisor starts it.
 */
describe('two API processes and two workers on one PostgreSQL', () => {
  let target: TestTarget;
  let sink: SmtpSink;
  let dataDir: string;
  const processes: NodeProcess[] = [];
  const urls: string[] = [];

  async function call<T>(url: string, token: string | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  beforeAll(async () => {
    target = await postgresTestTarget();
    if (target.target.dialect !== 'postgresql') throw new Error('expected a PostgreSQL target');
    sink = await startSmtpSink();
    dataDir = mkdtempSync(join(tmpdir(), 'appointments-scale-'));
    const shared = { NODE_ENV: 'test', LOG_LEVEL: 'info', DATA_DIR: dataDir, DATABASE_URL: target.target.url, REMINDER_LEAD_MINUTES: '1' };
    const apiEnv = { ...shared, PORT: '0', SECRET_KEY: 'scale-test-secret-0123456789', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, REGISTER_MAX_PER_HOUR: '100000' };
    // The first API applies the migrations; the second starts on a migrated database.
    for (let i = 0; i < 2; i++) {
      const api = spawnApi(apiEnv);
      processes.push(api);
      urls.push(String((await api.waitForLog('API listening', 30_000)).url));
    }
    const workerEnv = { ...shared, MAIL_SERVER: '127.0.0.1', MAIL_PORT: String(sink.port), MAIL_TLS: 'false', USE_CREDENTIALS: 'false', WORKER_PORT: '0', NOTIFY_POLL_MS: '100' };
    for (let i = 0; i < 2; i++) {
      const worker = spawnWorker(workerEnv);
      processes.push(worker);
      await worker.waitForLog('worker started', 30_000);
    }
  }, 90_000);

  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGTERM');
    const codes = await Promise.all(processes.map((p) => p.exited));
    await sink?.close();
    await target?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    // Every process drains and exits 0 on SIGTERM.
    expect(codes).toEqual([0, 0, 0, 0]);
  }, 60_000);

  it('books one winner among 40 racing requests spread over both APIs, and each worker-sent email goes out once', async () => {
    const [a, b] = urls as [string, string];
    const admin = (await call<{ access_token: string }>(a, null, 'POST', '/api/v1/auth/login', { username: ADMIN.email, password: ADMIN.password })).body.access_token;
    const staffIds: number[] = [];
    for (let i = 0; i < 3; i++) {
      const staff = await call<{ id: number }>(a, admin, 'POST', '/api/v1/auth/register', { email: `staff${i}@example.com`, full_name: `Staff ${i}`, password, role: 'staff' });
      staffIds.push(staff.body.id);
      for (let day = 0; day < 7; day++) {
        await call(b, admin, 'POST', '/api/v1/availability', { staff_id: staff.body.id, day_of_week: day, start_time: '00:00:00', end_time: '24:00:00', is_recurring: true });
      }
    }
    const clientId = (await call<{ id: number }>(b, null, 'POST', '/api/v1/auth/register', { email: 'client@example.com', full_name: 'Client', password })).body.id;
    const client = (await call<{ access_token: string }>(a, null, 'POST', '/api/v1/auth/login', { username: 'client@example.com', password })).body.access_token;

    // The race: the same hour for one staff member, 20 requests through each API at once.
    const hour = Math.ceil(Date.now() / MINUTE / 60) * 60 * MINUTE + 48 * 60 * MINUTE;
    const racing = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call<{ code?: string }>(i % 2 ? a : b, client, 'POST', '/api/v1/appointments', {
          staff_id: staffIds[0],
          start_time: new Date(hour).toISOString(),
          end_time: new Date(hour + 60 * MINUTE).toISOString(),
        }),
      ),
    );
    expect(racing.filter((r) => r.status === 201)).toHaveLength(1);
    expect(racing.filter((r) => r.status === 409).every((r) => r.body.code === 'APPOINTMENT.SLOT_TAKEN')).toBe(true);
    expect(racing.filter((r) => r.status === 409)).toHaveLength(39);

    // Reminders with a 1-minute lead: three appointments at the first whole minute over a minute from
    // now, one client with three staff members at once, which only an admin booking for them may do.
    const soon = Math.ceil((Date.now() + MINUTE + 5_000) / MINUTE) * MINUTE;
    for (let i = 0; i < 3; i++) {
      const booked = await call(i % 2 ? a : b, admin, 'POST', '/api/v1/appointments', {
        staff_id: staffIds[i],
        client_id: clientId,
        allow_client_overlap: true,
        start_time: new Date(soon).toISOString(),
        end_time: new Date(soon + 30 * MINUTE).toISOString(),
      });
      expect(booked.status).toBe(201);
    }
    // 4 appointments × 2 parties confirmed, 3 × 2 reminded: 14 emails, each exactly once (besides
    // the client's verification link, which is no appointment email).
    const appointmentEmails = () => sink.messages.filter(isAppointmentEmail);
    const deadline = Date.now() + 90_000;
    while (appointmentEmails().length < 14 && Date.now() < deadline) await sleep(200);
    await sleep(2_000);
    const ids = appointmentEmails().map((m) => String(m.headers.get('x-notification-id')));
    expect(ids).toHaveLength(14);
    expect(new Set(ids).size).toBe(14);
    expect(sink.messages.filter((m) => m.subject?.startsWith('Reminder:'))).toHaveLength(6);
  }, 180_000);
});
