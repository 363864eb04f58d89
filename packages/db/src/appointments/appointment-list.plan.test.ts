import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/core';
import { testTargets, type TestTarget } from '@appointments/testkit/db';
import { ormOptions } from '../database.ts';
import { appointmentList } from '../sql/appointments.ts';
import type { AppointmentFilter } from './appointment.ts';

const AT = Date.parse('2027-01-04T09:00:00Z');

/**
 * Each filter of the appointment list, on a first page and after a cursor, reads a range of the
 * index on its order (no sort): the plan bench/lists.bench.ts measures at 1,000,000 rows. On this
 * empty table PostgreSQL would rather scan and sort, so its scans and sorts are priced out first:
 * what is checked is that an index in list order exists for the query to use.
 */
describe.each(Object.entries(testTargets))('the appointment list’s plans on %s', (_name, makeTarget) => {
  let scratch: TestTarget;
  let orm: MikroORM;

  beforeAll(async () => {
    scratch = await makeTarget();
    orm = await MikroORM.init(ormOptions(scratch.target));
    await orm.migrator.up();
  });
  afterAll(async () => {
    await orm?.close(true);
    await scratch?.drop();
  });

  async function plan(filter: AppointmentFilter): Promise<string> {
    const [statement, values] = appointmentList(filter);
    const sqlite = scratch.target.dialect === 'sqlite';
    const bound = values.map((value) => (value instanceof Date ? (sqlite ? value.getTime() : value.toISOString()) : value));
    if (sqlite) {
      const rows = (await orm.em.getConnection().execute(`explain query plan ${statement.sqlite}`, bound)) as { detail: string }[];
      return rows.map((row) => row.detail).join('\n');
    }
    return orm.em.fork().transactional(async (em) => {
      const connection = em.getConnection();
      for (const setting of ['enable_seqscan', 'enable_sort', 'enable_bitmapscan']) await connection.execute(`set local ${setting} = off`, [], 'run', em.getTransactionContext());
      const rows = (await connection.execute(`explain ${statement.sqlite}`, bound, 'all', em.getTransactionContext())) as { 'QUERY PLAN': string }[];
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
  }

  const cases: [label: string, filter: Omit<AppointmentFilter, 'limit'>, index: string][] = [
    ['every appointment', {}, 'appointments_start_at_id_index'],
    ['by status, in a window', { status: 'scheduled', from: AT, to: AT + 86_400_000 }, 'appointments_start_at_id_index'],
    ["a staff member's", { staffId: 1 }, 'appointments_staff_id_start_at_id_index'],
    ["a staff member's, in a window", { staffId: 1, from: AT, to: AT + 86_400_000 }, 'appointments_staff_id_start_at_id_index'],
    ["a client's", { clientId: 1 }, 'appointments_client_id_start_at_id_index'],
    ["a client's scheduled ones", { clientId: 1, status: 'scheduled' }, 'appointments_client_id_start_at_id_index'],
  ];

  it.each(cases)('%s: a range of its index in list order, first page and after a cursor', async (_label, filter, index) => {
    for (const page of [{ limit: 50 }, { limit: 50, after: [AT, 7] as const }]) {
      const text = await plan({ ...filter, ...page });
      expect(text).toContain(index);
      expect(text).not.toMatch(/\bSort\b|TEMP B-TREE/i);
    }
  });
});
