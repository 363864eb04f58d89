import { Migration } from '@mikro-orm/migrations';

export class Migration20261125142855_notifications extends Migration {


  override up(): void | Promise<void> {
    this.addSql(`create table "notifications" ("id" serial primary key, "appointment_id" int not null, "recipient_id" int not null, "kind" text not null, "sequence" int not null, "status" text not null default 'pending', "due_at" timestamptz not null, "details" jsonb not null, "attempts" int not null default 0, "last_error" text null, "queued_at" timestamptz null, "sent_at" timestamptz null, "message_id" varchar(998) null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "notifications_status_due_at_index" on "notifications" ("status", "due_at");`);
    this.addSql(`alter table "notifications" add constraint "notifications_once" unique ("appointment_id", "kind", "sequence", "recipient_id");`);

    this.addSql(`alter table "notifications" add constraint "notifications_appointment_id_foreign" foreign key ("appointment_id") references "appointments" ("id");`);
    this.addSql(`alter table "notifications" add constraint "notifications_recipient_id_foreign" foreign key ("recipient_id") references "users" ("id");`);
    this.addSql(`alter table "notifications" add constraint "notifications_kind_check" check ("kind" in ('confirmation', 'reschedule', 'cancellation', 'reminder'));`);
    this.addSql(`alter table "notifications" add constraint "notifications_status_check" check ("status" in ('pending', 'queued', 'sent', 'failed', 'dropped'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "notifications" cascade;`);
  }

}
