import { Migration } from '@mikro-orm/migrations';

export class Migration20261206082659_webhooks extends Migration {


  override up(): void | Promise<void> {
    this.addSql(`create table "webhooks" ("id" serial primary key, "url" text not null, "events" jsonb not null, "description" text null, "secret" varchar(100) not null, "previous_secret" varchar(100) null, "previous_secret_expires_at" timestamptz null, "is_active" boolean not null default true, "disabled_reason" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);

    this.addSql(`create table "webhook_events" ("id" serial primary key, "type" varchar(40) not null, "body" text not null, "source" varchar(60) null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "webhook_events" add constraint "webhook_events_source_unique" unique ("source");`);

    this.addSql(`create table "webhook_deliveries" ("id" serial primary key, "event_id" int not null, "webhook_id" int not null, "status" text not null default 'pending', "attempts" int not null default 0, "budget_from" int not null default 0, "last_status_code" int null, "last_error" text null, "next_attempt_at" timestamptz null, "locked_until" timestamptz null, "delivered_at" timestamptz null, "created_at" timestamptz not null);`);
    this.addSql(`create index "webhook_deliveries_status_next_attempt_at_index" on "webhook_deliveries" ("status", "next_attempt_at");`);
    this.addSql(`create index "webhook_deliveries_webhook_id_id_index" on "webhook_deliveries" ("webhook_id", "id");`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_once" unique ("event_id", "webhook_id");`);

    this.addSql(`alter table "appointment_changes" add "state" jsonb null;`);

    this.addSql(`alter table "user_events" add "processed_at" timestamptz null;`);
    // Blocks before webhooks existed have nobody to tell.
    this.addSql(`update "user_events" set "processed_at" = "at";`);
    this.addSql(`create index "user_events_processed_at_id_index" on "user_events" ("processed_at", "id");`);

    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_event_id_foreign" foreign key ("event_id") references "webhook_events" ("id") on delete cascade;`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_webhook_id_foreign" foreign key ("webhook_id") references "webhooks" ("id") on delete cascade;`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_status_check" check ("status" in ('pending', 'delivered', 'failed'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "webhook_deliveries" drop constraint "webhook_deliveries_webhook_id_foreign";`);
    this.addSql(`alter table "webhook_deliveries" drop constraint "webhook_deliveries_event_id_foreign";`);

    this.addSql(`drop table if exists "webhook_deliveries" cascade;`);
    this.addSql(`drop table if exists "webhook_events" cascade;`);
    this.addSql(`drop table if exists "webhooks" cascade;`);

    this.addSql(`alter table "appointment_changes" drop column "state";`);

    this.addSql(`drop index "user_events_processed_at_id_index";`);
    this.addSql(`alter table "user_events" drop column "processed_at";`);
  }

}
