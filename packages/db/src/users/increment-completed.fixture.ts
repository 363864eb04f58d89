// A separate process's share of the cross-process counter test (user.repository.test.ts):
//   node increment-completed.fixture.ts <sqlite file> <user id> <times>
// Each increment is its own lockForUpdate → +1 → setCounters transaction on its own connection.
import { Database } from '../database.ts';

const [path, userId, times] = process.argv.slice(2);
if (!path || !userId || !times) throw new Error('usage: increment-completed.fixture.ts <sqlite file> <user id> <times>');
const id = Number(userId);
const db = await Database.open({ dialect: 'sqlite', path }, { migrate: false });
try {
  for (let i = 0; i < Number(times); i++) {
    await db.transaction(async (tx) => {
      const user = await tx.users.lockForUpdate(id);
      await tx.users.setCounters(id, { noShowCount: user.noShowCount, completedCount: user.completedCount + 1, isBlocked: user.isBlocked });
    });
  }
} finally {
  await db.close();
}
