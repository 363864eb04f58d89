import { Migration } from '@mikro-orm/migrations';

export class Migration20261206093941_reminder_leads extends Migration {
  override up(): void | Promise<void> {
    this.addSql(`alter table \`services\` add column \`reminder_lead_minutes\` json null;`);

    this.addSql(`drop index \`notifications_once\`;`);
    this.addSql(`alter table \`notifications\` add column \`lead_minutes\` integer not null default 0;`);
    // Reminders of the current version were planned for its start: their lead time is how long before it they are due
    // (so the sweep does not record them again). Older versions' reminders are history; their start then is not kept.
    this.addSql(
      'update `notifications` set `lead_minutes` = coalesce((select cast(round((a.`start_at` - `notifications`.`due_at`) / 60000.0) as integer) from `appointments` a' +
        " where a.`id` = `notifications`.`appointment_id` and a.`sequence` = `notifications`.`sequence`), 0) where `kind` = 'reminder';",
    );
    this.addSql(`create unique index \`notifications_once\` on \`notifications\` (\`appointment_id\`, \`kind\`, \`sequence\`, \`recipient_id\`, \`lead_minutes\`);`);
  }

  override down(): void | Promise<void> {
    // The old key allows one reminder per person and version: the earliest recorded stays.
    this.addSql(
      "delete from `notifications` where `kind` = 'reminder' and `id` not in (select min(`id`) from `notifications` group by `appointment_id`, `kind`, `sequence`, `recipient_id`);",
    );
    this.addSql(`drop index \`notifications_once\`;`);
    this.addSql(`alter table \`notifications\` drop column \`lead_minutes\`;`);
    this.addSql(`create unique index \`notifications_once\` on \`notifications\` (\`appointment_id\`, \`kind\`, \`sequence\`, \`recipient_id\`);`);

    this.addSql(`alter table \`services\` drop column \`reminder_lead_minutes\`;`);
  }
}
