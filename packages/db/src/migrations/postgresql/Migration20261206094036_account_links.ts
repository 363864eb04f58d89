import { Migration } from '@mikro-orm/migrations';

export class Migration20261206094036_account_links extends Migration {


  override up(): void | Promise<void> {
    this.addSql(`create table "account_tokens" ("id" varchar(64) not null, "user_id" int not null, "purpose" text not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "account_tokens_user_id_index" on "account_tokens" ("user_id");`);
    this.addSql(`create index "account_tokens_expires_at_index" on "account_tokens" ("expires_at");`);

    this.addSql(`create table "account_messages" ("id" serial primary key, "user_id" int not null, "kind" text not null, "link" text null, "status" text not null default 'pending', "attempts" int not null default 0, "last_error" text null, "next_attempt_at" timestamptz null, "locked_until" timestamptz null, "created_at" timestamptz not null, "sent_at" timestamptz null);`);
    this.addSql(`create index "account_messages_user_id_index" on "account_messages" ("user_id");`);
    this.addSql(`create index "account_messages_status_next_attempt_at_index" on "account_messages" ("status", "next_attempt_at");`);

    this.addSql(`alter table "account_tokens" add constraint "account_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "account_tokens" add constraint "account_tokens_purpose_check" check ("purpose" in ('password_reset', 'verify_email'));`);

    this.addSql(`alter table "account_messages" add constraint "account_messages_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "account_messages" add constraint "account_messages_kind_check" check ("kind" in ('password_reset', 'verify_email'));`);
    this.addSql(`alter table "account_messages" add constraint "account_messages_status_check" check ("status" in ('pending', 'sent', 'failed'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "account_tokens" cascade;`);
    this.addSql(`drop table if exists "account_messages" cascade;`);
  }

}
