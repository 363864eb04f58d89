import { describe, expect, it } from 'vitest';
import { testTargets, useTestDatabase } from '@appointments/testkit/db';
import { Database } from '../database.ts';

describe.each(Object.entries(testTargets))('raw statements on %s', (_name, makeTarget) => {
  const database = useTestDatabase(Database.open, makeTarget);

  it('write datetimes that read back as the same instant, at the ends of four-digit years too', async () => {
    const repos = database.db.fork();
    const user = (role: 'client' | 'staff') => repos.users.create({ email: `${role}@example.com`, fullName: role, role, passwordHash: 'x', timezone: 'UTC' });
    const [client, staff] = [await user('client'), await user('staff')];
    // A booking is written by raw SQL (booking.ts) and read back through the ORM.
    for (const iso of ['0001-01-01T00:00:00.000Z', '1969-12-31T23:00:00.001Z', '2030-03-31T01:30:00.123Z', '9999-12-31T22:59:59.999Z', '+010000-01-01T00:00:00.000Z']) {
      const start = Date.parse(iso);
      const end = start + 3_600_000;
      const { id } = await database.db.fork().appointments.book({
        clientId: client.id,
        staffId: staff.id,
        start,
        end,
        bufferedStart: start,
        bufferedEnd: end,
        notes: null,
        actorId: client.id, actorApiKeyId: null,
        at: start,
      });
      expect(await database.db.fork().appointments.findById(id)).toMatchObject({ start, end, bufferedStart: start, bufferedEnd: end });
    }
  });
});
