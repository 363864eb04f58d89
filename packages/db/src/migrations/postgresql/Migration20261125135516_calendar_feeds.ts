import { Migration } from '@mikro-orm/migrations';

export class Migration20261125135516_calendar_feeds extends Migration {
  override up(): void | Promise<void> {
    this.addSql(`create table "calendar_feeds" ("id" serial primary key, "user_id" int not null, "token_hash" varchar(64) not null, "name" varchar(100) null, "created_at" timestamptz not null, "last_used_at" timestamptz null);`);
    this.addSql(`create index "calendar_feeds_user_id_index" on "calendar_feeds" ("user_id");`);
    this.addSql(`alter table "calendar_feeds" add constraint "calendar_feeds_token_hash_unique" unique ("token_hash");`);

    this.addSql(`alter table "calendar_feeds" add constraint "calendar_feeds_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
  }

}
