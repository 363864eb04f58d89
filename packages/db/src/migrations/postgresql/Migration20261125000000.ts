import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000000 extends Migration {
  override up(): void {
    this.addSql(
      'create table "users" ("id" serial primary key, "email" varchar(254) not null, "full_name" varchar(200) not null, "role" text not null, "password_hash" varchar(255) not null, "is_active" boolean not null default true, "timezone" varchar(64) not null, "no_show_count" int not null default 0, "is_blocked" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null);',
    );
    this.addSql('alter table "users" add constraint "users_email_unique" unique ("email");');
    this.addSql(`alter table "users" add constraint "users_role_check" check ("role" in ('admin', 'staff', 'client'));`);
    this.addSql(
      'create table "sessions" ("id" varchar(64) not null, "user_id" int not null, "expires_at" timestamptz not null, "created_at" timestamptz not null, primary key ("id"));',
    );
    this.addSql('create index "sessions_user_id_index" on "sessions" ("user_id");');
    this.addSql('create index "sessions_expires_at_index" on "sessions" ("expires_at");');
    this.addSql(
      'alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;',
    );
  }
}
