import { Migration } from '@mikro-orm/migrations';
import { localDate } from '@appointments/domain';

// Fills in the local date of appointments made before it was stored. SQLite knows no time zones, so
// the domain's own conversion computes it, row by row inside the migration's transaction.

export class Migration20261206054422_local_dates extends Migration {
  override async up(): Promise<void> {
    const rows = await this.execute(
      'select a.id, a.start_at, u.timezone from appointments as a join users as u on u.id = a.staff_id where a.local_date is null',
    );
    for (const row of rows as { id: number; start_at: number; timezone: string }[]) {
      await this.execute('update appointments set local_date = ? where id = ?', [localDate(Number(row.start_at), row.timezone), row.id]);
    }
  }

  override down(): void {
    // The column stays (the previous migration drops it); its values are as good after a rollback.
  }
}
