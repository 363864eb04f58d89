import { Migration } from '@mikro-orm/migrations';

export class Migration20261206082659_webhooks extends Migration {


  override up(): void | Promise<void> {
    this.addSql(`create table \`webhooks\` (\`id\` integer not null primary key autoincrement, \`url\` text not null, \`events\` json not null, \`description\` text null, \`secret\` text not null, \`previous_secret\` text null, \`previous_secret_expires_at\` datetime null, \`is_active\` integer not null default true, \`disabled_reason\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null);`);

    this.addSql(`create table \`webhook_events\` (\`id\` integer not null primary key autoincrement, \`type\` text not null, \`body\` text not null, \`source\` text null, \`created_at\` datetime not null);`);
    this.addSql(`create unique index \`webhook_events_source_unique\` on \`webhook_events\` (\`source\`);`);

    this.addSql(`create table \`webhook_deliveries\` (\`id\` integer not null primary key autoincrement, \`event_id\` integer not null, \`webhook_id\` integer not null, \`status\` text check (\`status\` in ('pending', 'delivered', 'failed')) not null default 'pending', \`attempts\` integer not null default 0, \`budget_from\` integer not null default 0, \`last_status_code\` integer null, \`last_error\` text null, \`next_attempt_at\` datetime null, \`locked_until\` datetime null, \`delivered_at\` datetime null, \`created_at\` datetime not null, constraint \`webhook_deliveries_event_id_foreign\` foreign key (\`event_id\`) references \`webhook_events\` (\`id\`) on delete cascade, constraint \`webhook_deliveries_webhook_id_foreign\` foreign key (\`webhook_id\`) references \`webhooks\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`webhook_deliveries_status_next_attempt_at_index\` on \`webhook_deliveries\` (\`status\`, \`next_attempt_at\`);`);
    this.addSql(`create index \`webhook_deliveries_webhook_id_id_index\` on \`webhook_deliveries\` (\`webhook_id\`, \`id\`);`);
    this.addSql(`create unique index \`webhook_deliveries_once\` on \`webhook_deliveries\` (\`event_id\`, \`webhook_id\`);`);

    this.addSql(`alter table \`appointment_changes\` add column \`state\` json null;`);

    this.addSql(`alter table \`user_events\` add column \`processed_at\` datetime null;`);
    // Blocks before webhooks existed have nobody to tell.
    this.addSql(`update \`user_events\` set \`processed_at\` = \`at\`;`);
    this.addSql(`create index \`user_events_processed_at_id_index\` on \`user_events\` (\`processed_at\`, \`id\`);`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`webhook_deliveries\`;`);
    this.addSql(`drop table if exists \`webhook_events\`;`);
    this.addSql(`drop table if exists \`webhooks\`;`);

    this.addSql(`alter table \`appointment_changes\` drop column \`state\`;`);

    this.addSql(`drop index \`user_events_processed_at_id_index\`;`);
    this.addSql(`alter table \`user_events\` drop column \`processed_at\`;`);
  }

}
