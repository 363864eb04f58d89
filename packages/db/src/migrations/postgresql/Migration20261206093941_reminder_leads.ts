import { Migration } from '@mikro-orm/migrations';

export class Migration20261206093941_reminder_leads extends Migration {
  override up(): void | Promise<void> {
    this.addSql(`alter table "services" add "reminder_lead_minutes" jsonb null;`);

    this.addSql(`alter table "notifications" drop constraint "notifications_once";`);
    this.addSql(`alter table "notifications" add "lead_minutes" int not null default 0;`);
    // Reminders of the current version were planned for its start: their lead time is how long before it they are due
    // (so the sweep does not record them again). Older versions' reminders are history; their start then is not kept.
    this.addSql(
      'update "notifications" n set "lead_minutes" = round(extract(epoch from a."start_at" - n."due_at") / 60) from "appointments" a' +
        ` where a."id" = n."appointment_id" and a."sequence" = n."sequence" and n."kind" = 'reminder';`,
    );
    this.addSql(`alter table "notifications" add constraint "notifications_once" unique ("appointment_id", "kind", "sequence", "recipient_id", "lead_minutes");`);
  }

  override down(): void | Promise<void> {
    // The old key allows one reminder per person and version: the earliest recorded stays.
    this.addSql(
      `delete from "notifications" where "kind" = 'reminder' and "id" not in (select min("id") from "notifications" group by "appointment_id", "kind", "sequence", "recipient_id");`,
    );
    this.addSql(`alter table "notifications" drop constraint "notifications_once";`);
    this.addSql(`alter table "notifications" drop column "lead_minutes";`);
    this.addSql(`alter table "notifications" add constraint "notifications_once" unique ("appointment_id", "kind", "sequence", "recipient_id");`);

    this.addSql(`alter table "services" drop column "reminder_lead_minutes";`);
  }
}
