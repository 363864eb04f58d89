import { Migration } from '@mikro-orm/migrations';

export class Migration20261206045920_services extends Migration {


  override up(): void | Promise<void> {
    this.addSql(`create table \`services\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`description\` text null, \`duration_minutes\` integer not null, \`location\` text null, \`price_cents\` integer not null, \`currency\` text not null, \`buffer_before_minutes\` integer null, \`buffer_after_minutes\` integer null, \`capacity\` integer not null default 1, \`is_active\` integer not null default true, \`created_at\` datetime not null);`);

    this.addSql(`create table \`service_staff\` (\`service_id\` integer not null, \`staff_id\` integer not null, primary key (\`service_id\`, \`staff_id\`), constraint \`service_staff_service_id_foreign\` foreign key (\`service_id\`) references \`services\` (\`id\`) on update cascade on delete cascade, constraint \`service_staff_staff_id_foreign\` foreign key (\`staff_id\`) references \`users\` (\`id\`) on update cascade on delete cascade);`);
    this.addSql(`create index \`service_staff_service_id_index\` on \`service_staff\` (\`service_id\`);`);
    this.addSql(`create index \`service_staff_staff_id_index\` on \`service_staff\` (\`staff_id\`);`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`services\`;`);
    this.addSql(`drop table if exists \`service_staff\`;`);
  }

}
