import { describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/core';
import { testTargets } from '@appointments/testkit/db';
import { ormOptions } from '../database.ts';
import { migrationsFor } from '../migrations/index.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2030-03-04T08:00:00.000Z');

describe.each(Object.entries(testTargets))('the reminder lead-time backfill on %s', (dialect, makeTarget) => {
  it("gives the current version's reminders their lead time, so the sweep does not record them again", async () => {
    const all = migrationsFor(dialect as 'sqlite' | 'postgresql');
    const before = all[all.findIndex((m) => m.name.endsWith('_reminder_leads')) - 1]!.name;
    const scratch = await makeTarget();
    const orm = await MikroORM.init(ormOptions(scratch.target));
    try {
      await orm.migrator.up({ to: before });
      const sql = orm.em.getConnection();
      const time = (ms: number) => (dialect === 'sqlite' ? ms : new Date(ms));
      const user = async (email: string, role: string) =>
        Number(
          (
            await sql.execute(
              'insert into users (email, full_name, role, password_hash, is_active, timezone, no_show_count, completed_count, is_blocked, email_verified, created_at, updated_at) values (?, ?, ?, ?, true, ?, 0, 0, false, false, ?, ?) returning id',
              [email, 'U', role, 'x', 'UTC', time(T0), time(T0)],
            )
          )[0].id,
        );
      const clientId = await user('c@example.com', 'client');
      const staffId = await user('s@example.com', 'staff');
      const start = T0 + 72 * HOUR;
      // Rescheduled once: version 1 is current, version 0's reminder was dropped.
      const appointmentId = Number(
        (
          await sql.execute(
            "insert into appointments (client_id, staff_id, start_at, end_at, buffered_start, buffered_end, notes, status, sequence, client_overlap_allowed, created_at, updated_at) values (?, ?, ?, ?, ?, ?, null, 'scheduled', 1, false, ?, ?) returning id",
            [clientId, staffId, time(start), time(start + HOUR), time(start), time(start + HOUR), time(T0), time(T0)],
          )
        )[0].id,
      );
      const notification = (kind: string, sequence: number, status: string, dueAt: number) =>
        sql.execute(
          'insert into notifications (appointment_id, recipient_id, kind, sequence, status, due_at, details, attempts, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)',
          [appointmentId, clientId, kind, sequence, status, time(dueAt), '{}', time(T0), time(T0)],
        );
      await notification('reminder', 0, 'dropped', T0 + 10 * HOUR);
      await notification('confirmation', 1, 'sent', T0);
      await notification('reminder', 1, 'pending', start - 24 * HOUR);
      await orm.migrator.up();

      const rows = (await sql.execute('select kind, sequence, lead_minutes from notifications order by id')) as { kind: string; sequence: number; lead_minutes: number }[];
      expect(rows.map((row) => [row.kind, row.sequence, Number(row.lead_minutes)])).toEqual([
        ['reminder', 0, 0],
        ['confirmation', 1, 0],
        ['reminder', 1, 24 * 60],
      ]);
      // Another lead time for the same person and version is now a row of its own.
      await notification('reminder', 1, 'pending', start - HOUR);
      await sql.execute('update notifications set lead_minutes = 60 where due_at = ?', [time(start - HOUR)]);
      expect(await sql.execute("select count(*) as n from notifications where kind = 'reminder' and sequence = 1")).toEqual([{ n: dialect === 'sqlite' ? 2 : '2' }]);
    } finally {
      await orm.close(true);
      await scratch.drop();
    }
  });
});
