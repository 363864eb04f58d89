import { Migration } from '@mikro-orm/migrations';

export class Migration20261125135516_calendar_feeds extends Migration {
  override up(): void | Promise<void> {
    this.addSql(`create table \`calendar_feeds\` (\`id\` integer not null primary key autoincrement, \`user_id\` integer not null, \`token_hash\` text not null, \`name\` text null, \`created_at\` datetime not null, \`last_used_at\` datetime null, constraint \`calendar_feeds_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`calendar_feeds_user_id_index\` on \`calendar_feeds\` (\`user_id\`);`);
    this.addSql(`create unique index \`calendar_feeds_token_hash_unique\` on \`calendar_feeds\` (\`token_hash\`);`);
  }

}
