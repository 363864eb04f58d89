import { Migration } from '@mikro-orm/migrations';

export class Migration20261206045920_services extends Migration {


  override up(): void | Promise<void> {
    this.addSql(`create table "services" ("id" serial primary key, "name" varchar(200) not null, "description" text null, "duration_minutes" int not null, "location" varchar(500) null, "price_cents" int not null, "currency" varchar(3) not null, "buffer_before_minutes" int null, "buffer_after_minutes" int null, "capacity" int not null default 1, "is_active" boolean not null default true, "created_at" timestamptz not null);`);

    this.addSql(`create table "service_staff" ("service_id" int not null, "staff_id" int not null, primary key ("service_id", "staff_id"));`);
    this.addSql(`create index "service_staff_staff_id_index" on "service_staff" ("staff_id");`);

    this.addSql(`alter table "service_staff" add constraint "service_staff_service_id_foreign" foreign key ("service_id") references "services" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "service_staff" add constraint "service_staff_staff_id_foreign" foreign key ("staff_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "service_staff" drop constraint "service_staff_service_id_foreign";`);

    this.addSql(`drop table if exists "services" cascade;`);
    this.addSql(`drop table if exists "service_staff" cascade;`);
  }

}
