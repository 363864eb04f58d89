import { describe, expect, it } from 'vitest';
import { testTargets } from '@appointments/testkit/db';
import { beforeMigration } from '../migrations/upgrade.fixture.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2030-03-04T08:00:00.000Z');

describe.each(Object.entries(testTargets))('the reminder lead-time backfill on %s', (dialect, makeTarget) => {
  it("gives the current version's reminders their lead time, so the sweep does not record them again", async () => {
    await beforeMigration(dialect, makeTarget, 'reminder_leads', async ({ sql, time, user, appointment, upgrade }) => {
      const clientId = await user('c@example.com', 'client');
      const start = T0 + 72 * HOUR;
      // Rescheduled once: version 1 is current, version 0's reminder was dropped.
      const appointmentId = await appointment(clientId, await user('s@example.com', 'staff'), start, 1);
      const notification = (kind: string, sequence: number, status: string, dueAt: number) =>
        sql.execute(
          'insert into notifications (appointment_id, recipient_id, kind, sequence, status, due_at, details, attempts, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)',
          [appointmentId, clientId, kind, sequence, status, time(dueAt), '{}', time(T0), time(T0)],
        );
      await notification('reminder', 0, 'dropped', T0 + 10 * HOUR);
      await notification('confirmation', 1, 'sent', T0);
      await notification('reminder', 1, 'pending', start - 24 * HOUR);
      await upgrade();

      const rows = (await sql.execute('select kind, sequence, lead_minutes from notifications order by id')) as { kind: string; sequence: number; lead_minutes: number }[];
      expect(rows.map((row) => [row.kind, row.sequence, Number(row.lead_minutes)])).toEqual([
        ['reminder', 0, 0],
        ['confirmation', 1, 0],
        ['reminder', 1, 24 * 60],
      ]);
      // Another lead time for the same person and version is now a row of its own (the old key refused it).
      await notification('reminder', 1, 'pending', start - HOUR);
      expect(await sql.execute("select count(*) as n from notifications where kind = 'reminder' and sequence = 1")).toEqual([{ n: dialect === 'sqlite' ? 2 : '2' }]);
    });
  });
});
