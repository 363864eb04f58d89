import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, parseDatabaseUrl } from '@appointments/db';
import { ADMIN, rest, setUpScenario, slot, startApiPair, type RestAnswer, type Scenario, type TestApi } from '@appointments/testkit/api';
import { createServer, type ApiServer } from '../../server.ts';
import { parseEnv } from '../../env.ts';

interface HistoryEntry {
  readonly action: string;
  readonly from_start_time: string | null;
  readonly to_start_time: string | null;
}

/**
 * Changes to one appointment racing through two API processes on one database. Every change is
 * conditional on the version (`sequence`) it was decided on: of changes from one version exactly
 * one applies, each applied change has a version of its own, and each starts where the last ended.
 */
describe.each(['sqlite', 'postgresql'] as const)('racing changes to one appointment on %s', (dialect) => {
  let a: TestApi<ApiServer>;
  let b: TestApi<ApiServer>;
  let scenario: Scenario;
  let next = 0;
  const client = () => scenario.clients[0]!.token;
  const post = (t: TestApi, path: string, json: unknown) => rest(t.url, 'POST', path, { token: client(), json });
  const book = async () => {
    const booked = await post(a, '/api/v1/appointments', { staff_id: scenario.staffId, ...slot(scenario, next++) });
    expect(booked.status).toBe(201);
    return booked.body as { id: number; start_time: string; sequence: number };
  };
  const moveTo = (index: number) => {
    const { start_time, end_time } = slot(scenario, index);
    return { new_start_time: start_time, new_end_time: end_time };
  };
  const outcome = (answer: RestAnswer) => (answer.status === 200 ? 'applied' : `${answer.status} ${answer.body.code}`);

  beforeAll(async () => {
    ({ a, b } = await startApiPair({ createServer, parseEnv }, dialect));
    scenario = await setUpScenario(a.url, ADMIN, 1);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('with expected_sequence, exactly one of eight racing reschedules applies per round; the others get 409', async () => {
    const appointment = await book();
    const ROUNDS = 6;
    const RACERS = 8;
    const base = next;
    next += ROUNDS * RACERS;
    for (let round = 0; round < ROUNDS; round++) {
      const answers = await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          post(i % 2 ? a : b, `/api/v1/appointments/${appointment.id}/reschedule`, { ...moveTo(base + round * RACERS + i), expected_sequence: round }),
        ),
      );
      expect(answers.map(outcome).sort()).toEqual([...Array<string>(RACERS - 1).fill('409 APPOINTMENT.CHANGED_CONCURRENTLY'), 'applied']);
      expect(answers.find((answer) => answer.status === 200)!.body.sequence).toBe(round + 1);
    }
  });

  it('without it, every applied change gets a version of its own and the history chains', async () => {
    const appointment = await book();
    const base = next;
    next += 40;
    const answers: RestAnswer[] = [];
    for (let round = 0; round < 5; round++) {
      answers.push(...(await Promise.all(Array.from({ length: 8 }, (_, i) => post(i % 2 ? a : b, `/api/v1/appointments/${appointment.id}/reschedule`, moveTo(base + round * 8 + i))))));
    }
    const applied = answers.filter((answer) => answer.status === 200);
    expect(answers.filter((answer) => answer.status !== 200).map(outcome)).toEqual(answers.filter((answer) => answer.status !== 200).map(() => '409 APPOINTMENT.CHANGED_CONCURRENTLY'));
    const sequences = applied.map((answer) => answer.body.sequence as number).sort((x, y) => x - y);
    expect(sequences).toEqual(sequences.map((_, i) => i + 1)); // 1, 2, 3, …: none twice, none skipped

    const history = (await rest(a.url, 'GET', `/api/v1/appointments/${appointment.id}/history`, { token: client() })).body as unknown as HistoryEntry[];
    const moves = history.filter((entry) => entry.action === 'rescheduled');
    expect(moves).toHaveLength(applied.length);
    let at = appointment.start_time;
    for (const move of moves) {
      expect(move.from_start_time).toBe(at);
      at = move.to_start_time!;
    }
    const now = (await rest(a.url, 'GET', `/api/v1/appointments/${appointment.id}`, { token: client() })).body;
    expect(now).toMatchObject({ start_time: at, sequence: applied.length });
  });

  it('a reschedule racing a cancel: a cancellation is final, and nothing about an older version is left to send', async () => {
    for (let round = 0; round < 8; round++) {
      const appointment = await book();
      const [moved, cancelled] = await Promise.all([
        post(a, `/api/v1/appointments/${appointment.id}/reschedule`, moveTo(next++)),
        post(b, `/api/v1/appointments/${appointment.id}/cancel`, { reason: 'race' }),
      ]);
      const now = (await rest(a.url, 'GET', `/api/v1/appointments/${appointment.id}`, { token: client() })).body;
      const applied = [moved, cancelled].filter((answer) => answer.status === 200);
      expect(applied.length).toBeGreaterThan(0);
      // Both apply only one after the other: the move first (a cancelled appointment cannot move).
      if (applied.length === 2) expect([moved.body.sequence, cancelled.body.sequence]).toEqual([1, 2]);
      for (const loser of [moved, cancelled].filter((answer) => answer.status !== 200)) expect(loser.status).toBe(409);
      expect(now.sequence).toBe(applied.length);

      // The worker's step (with its default lead): the recorded changes become their notifications.
      await a.api.services.db.fork().appointmentChanges.processPending({ reminderLeadMinutes: [24 * 60] }, 10_000);
      const { items } = (await rest(a.url, 'GET', `/api/v1/admin/notifications?appointment_id=${appointment.id}&limit=100`, { token: scenario.adminToken })).body as {
        items: { kind: string; sequence: number; status: string }[];
      };
      const open = items.filter((n) => n.status === 'pending' || n.status === 'queued');
      // Only the current version's emails are still to go; after a cancellation, only its own.
      expect(open.filter((n) => n.sequence !== now.sequence)).toEqual([]);
      if (now.status === 'cancelled') expect(open.map((n) => n.kind)).toEqual(['cancellation', 'cancellation']);
    }
  });

  it('expected_sequence that is not the current one: 409 and nothing changes, on PATCH, cancel and reschedule', async () => {
    const appointment = await book();
    const calls = [
      () => rest(a.url, 'PATCH', `/api/v1/appointments/${appointment.id}`, { token: client(), json: { notes: 'x', expected_sequence: 1 } }),
      () => post(a, `/api/v1/appointments/${appointment.id}/cancel`, { expected_sequence: 3 }),
      () => post(a, `/api/v1/appointments/${appointment.id}/reschedule`, { ...moveTo(next++), expected_sequence: 1 }),
    ];
    for (const call of calls) expect(outcome(await call())).toBe('409 APPOINTMENT.CHANGED_CONCURRENTLY');
    const unchanged = (await rest(a.url, 'GET', `/api/v1/appointments/${appointment.id}`, { token: client() })).body;
    expect(unchanged).toMatchObject({ sequence: 0, status: 'scheduled', notes: null, start_time: appointment.start_time });
    // The current one applies, and the next change must name the new version.
    const patched = await rest(a.url, 'PATCH', `/api/v1/appointments/${appointment.id}`, { token: client(), json: { notes: 'x', expected_sequence: 0 } });
    expect(patched.body).toMatchObject({ notes: 'x', sequence: 1 });
    expect(outcome(await post(a, `/api/v1/appointments/${appointment.id}/cancel`, { expected_sequence: 0 }))).toBe('409 APPOINTMENT.CHANGED_CONCURRENTLY');
    expect(outcome(await post(a, `/api/v1/appointments/${appointment.id}/cancel`, { expected_sequence: 1 }))).toBe('applied');
  });

  // PostgreSQL only, as booking's: a second SQLite connection in this process would block it (better-sqlite3
  // waits for a lock synchronously); the db tests check the guard itself on both engines.
  it.runIf(dialect === 'postgresql')('a reschedule checked against hours another connection is removing is judged again on the new hours (422)', async () => {
    const staffToken = await rest(a.url, 'POST', '/api/v1/auth/login', { json: { username: 'staff@example.com', password: 'correct-horse-1' } });
    const evening = await rest(a.url, 'POST', '/api/v1/availability', {
      token: staffToken.body.access_token as string,
      json: { staff_id: scenario.staffId, specific_date: scenario.firstDay, start_time: '18:00:00', end_time: '21:00:00', is_recurring: false },
    });
    expect(evening.status).toBe(201);
    const appointment = await book();
    const other = await Database.open(parseDatabaseUrl(a.databaseUrl, '/tmp'), { migrate: false });
    try {
      let removed!: () => void;
      const isRemoved = new Promise<void>((resolve) => (removed = resolve));
      let commit!: () => void;
      const committing = new Promise<void>((resolve) => (commit = resolve));
      // Another process removes the evening hours and has not committed yet.
      const removal = other.transaction(async (tx) => {
        await tx.availability.delete(evening.body.id as number);
        removed();
        await committing;
      });
      await isRemoved;
      const move = post(a, `/api/v1/appointments/${appointment.id}/reschedule`, {
        new_start_time: `${scenario.firstDay}T19:00:00Z`,
        new_end_time: `${scenario.firstDay}T19:30:00Z`,
      });
      await new Promise((resolve) => setTimeout(resolve, 300)); // the reschedule has read the old hours and waits to write
      commit();
      await removal;
      expect(outcome(await move)).toBe('422 APPOINTMENT.OUTSIDE_AVAILABILITY');
      const unchanged = (await rest(a.url, 'GET', `/api/v1/appointments/${appointment.id}`, { token: client() })).body;
      expect(unchanged).toMatchObject({ sequence: 0, start_time: appointment.start_time });
    } finally {
      await other.close();
    }
  });
});
