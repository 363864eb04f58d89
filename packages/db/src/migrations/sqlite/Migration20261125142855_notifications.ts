import { Migration } from '@mikro-orm/migrations';

export class Migration20261125142855_notifications extends Migration {


  override up(): void | Promise<void> {
    this.addSql(`create table \`notifications\` (\`id\` integer not null primary key autoincrement, \`appointment_id\` integer not null, \`recipient_id\` integer not null, \`kind\` text check (\`kind\` in ('confirmation', 'reschedule', 'cancellation', 'reminder')) not null, \`sequence\` integer not null, \`status\` text check (\`status\` in ('pending', 'queued', 'sent', 'failed', 'dropped')) not null default 'pending', \`due_at\` datetime not null, \`details\` json not null, \`attempts\` integer not null default 0, \`last_error\` text null, \`queued_at\` datetime null, \`sent_at\` datetime null, \`message_id\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`notifications_appointment_id_foreign\` foreign key (\`appointment_id\`) references \`appointments\` (\`id\`), constraint \`notifications_recipient_id_foreign\` foreign key (\`recipient_id\`) references \`users\` (\`id\`));`);
    this.addSql(`create index \`notifications_status_due_at_index\` on \`notifications\` (\`status\`, \`due_at\`);`);
    this.addSql(`create unique index \`notifications_once\` on \`notifications\` (\`appointment_id\`, \`kind\`, \`sequence\`, \`recipient_id\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`notifications\`;`);
  }

}
