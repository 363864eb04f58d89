import { Migration } from '@mikro-orm/migrations';

// Fills in the local date of appointments made before it was stored, in each staff member's zone.

export class Migration20261206054422_local_dates extends Migration {
  override up(): void {
    this.addSql(
      `update appointments as a set local_date = to_char(a.start_at at time zone u.timezone, 'YYYY-MM-DD') from users as u where u.id = a.staff_id and a.local_date is null;`,
    );
  }

  override down(): void {
    // The column stays (the previous migration drops it); its values are as good after a rollback.
  }
}
