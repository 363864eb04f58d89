import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database, type DatabaseTarget, type Page, type Repositories } from '@appointments/db';
import { testTargets } from '@appointments/testkit/db';
import { ADMIN, rest, setUpScenario, slot, type Scenario } from '@appointments/testkit/api';
import { spawnApi, type ApiProcess } from '@appointments/testkit/processes';

const BOOKINGS = 100;
const CLIENTS = 5;
/** SIGKILL once this many bookings were confirmed: the rest are in flight or not yet sent. */
const KILL_AFTER = 20;
/** The worker's, which plans the emails of each recorded change. */
const REMINDER_LEAD_MINUTES = 1440;

/** Reads every page of a repository listing. */
async function all<T>(list: (page: { offset: number; limit: number }) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const page = await list({ offset: items.length, limit: 100 });
    items.push(...page.items);
    if (!page.more) return items;
  }
}

/** What the stored data must say whatever moment the process died at; returns the row counts. */
async function checkInvariants(repos: Repositories, confirmed: readonly number[]) {
  const appointments = await all((page) => repos.appointments.list(page));
  const ids = new Set(appointments.map((a) => a.id));
  // Every stored booking recorded its change, for the worker; then the worker's step runs.
  const changes = await all((page) => repos.appointmentChanges.list(page));
  for (const appointment of appointments) {
    expect(changes.filter((c) => c.appointmentId === appointment.id).map((c) => [c.sequence, c.change.kind, c.processedAt]), `change of ${appointment.id}`).toEqual([[0, 'booked', null]]);
  }
  await repos.appointmentChanges.processPending({ reminderLeadMinutes: [REMINDER_LEAD_MINUTES] }, 100_000);
  const notifications = await all((page) => repos.notifications.list(page));

  // Every booking the client heard 201 for is stored.
  expect(confirmed.filter((id) => !ids.has(id))).toEqual([]);
  // No change or notification points at an appointment that is not there (the change commits with it).
  expect(changes.filter((c) => !ids.has(c.appointmentId))).toEqual([]);
  expect(notifications.filter((n) => !ids.has(n.appointmentId))).toEqual([]);

  let events = 0;
  for (const appointment of appointments) {
    const history = await repos.appointmentEvents.listFor(appointment.id);
    events += history.length;
    expect(history.map((e) => e.action), `history of ${appointment.id}`).toEqual(['booked']);
    const own = notifications.filter((n) => n.appointmentId === appointment.id);
    const confirmations = own.filter((n) => n.kind === 'confirmation');
    expect(confirmations.map((n) => n.recipientId).sort(), `confirmations of ${appointment.id}`).toEqual([appointment.clientId, appointment.staffId].sort());
    // The lead rule: reminders only when they fall due after the booking itself.
    const remindable = appointment.start - REMINDER_LEAD_MINUTES * 60_000 > confirmations[0]!.dueAt;
    expect(own.filter((n) => n.kind === 'reminder'), `reminders of ${appointment.id}`).toHaveLength(remindable ? 2 : 0);
    expect(own).toHaveLength(remindable ? 4 : 2);
  }

  const scheduled = appointments.filter((a) => a.status === 'scheduled').sort((a, b) => a.staffId - b.staffId || a.start - b.start);
  const overlaps = scheduled.filter((a, i) => i > 0 && scheduled[i - 1]!.staffId === a.staffId && scheduled[i - 1]!.end > a.start);
  expect(overlaps).toEqual([]);

  for (const clientId of new Set(appointments.map((a) => a.clientId))) {
    const client = (await repos.users.findById(clientId))!;
    const theirs = appointments.filter((a) => a.clientId === clientId);
    expect({ noShow: client.noShowCount, completed: client.completedCount, blocked: client.isBlocked }).toEqual({
      noShow: theirs.filter((a) => a.status === 'no_show').length,
      completed: theirs.filter((a) => a.status === 'completed').length,
      blocked: false,
    });
  }
  return { appointments: appointments.length, events, changes: changes.length, notifications: notifications.length };
}

describe.each(['sqlite', 'postgresql'] as const)('kill -9 of the API during a burst of bookings on %s', (dialect) => {
  const processes: ApiProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('keeps every stored booking whole and every confirmed one stored; the restarted API serves again', async () => {
    const { target, drop } = await testTargets[dialect]();
    cleanups.push(drop);
    const dataDir = mkdtempSync(join(tmpdir(), 'api-crash-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const env = {
      PORT: '0',
      DATABASE_URL: target.dialect === 'sqlite' ? `sqlite:///${target.path}` : target.url,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      SECRET_KEY: 'crash-test-secret-0123456789',
      REGISTER_MAX_PER_HOUR: '100000',
    };
    const start = () => {
      const p = spawnApi(env, dataDir);
      processes.push(p);
      return p;
    };

    const first = start();
    const url = await first.url;
    const scenario: Scenario = await setUpScenario(url, ADMIN, CLIENTS);

    const confirmed: number[] = [];
    let failed = 0;
    const burst = Array.from({ length: BOOKINGS }, (_, i) =>
      rest(url, 'POST', '/api/v1/appointments', { token: scenario.clients[i % CLIENTS]!.token, json: { staff_id: scenario.staffId, ...slot(scenario, i) } }).then(
        (answer) => {
          if (answer.status === 201) {
            confirmed.push(answer.body.id as number);
            if (confirmed.length === KILL_AFTER) first.child.kill('SIGKILL');
          } else failed++;
        },
        // Cut off by the kill: no answer, so no promise was made to this client.
        () => undefined,
      ),
    );
    await Promise.all(burst);
    expect(await first.exited).toBe('SIGKILL');
    // Every answered booking was a success: distinct slots, nothing to refuse.
    expect(failed).toBe(0);
    const confirmedBeforeKill = [...confirmed];

    const second = start();
    const again = await second.url;
    expect((await rest(again, 'GET', '/readyz')).status).toBe(200);
    const after = await rest(again, 'POST', '/api/v1/appointments', { token: scenario.clients[0]!.token, json: { staff_id: scenario.staffId, ...slot(scenario, BOOKINGS) } });
    expect(after.status).toBe(201);

    const db = await Database.open(target as DatabaseTarget, { migrate: false });
    try {
      const counts = await checkInvariants(db.fork(), [...confirmedBeforeKill, after.body.id as number]);
      expect(counts.appointments).toBeGreaterThanOrEqual(confirmedBeforeKill.length + 1);
      expect(counts.appointments).toBeLessThanOrEqual(BOOKINGS + 1);
      console.info(
        `[crash ${dialect}] ${confirmedBeforeKill.length} × 201 before SIGKILL of ${BOOKINGS} sent; after restart (+1 booking): ${counts.appointments} appointments, ${counts.events} history events, ${counts.changes} changes, ${counts.notifications} notifications — invariants hold`,
      );
    } finally {
      await db.close();
    }
  }, 90_000);
});
