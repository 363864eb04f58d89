import { Migration } from '@mikro-orm/migrations';

export class Migration20261206094036_account_links extends Migration {


  override up(): void | Promise<void> {
    this.addSql(`create table \`account_tokens\` (\`id\` text not null primary key, \`user_id\` integer not null, \`purpose\` text check (\`purpose\` in ('password_reset', 'verify_email')) not null, \`expires_at\` datetime not null, \`used_at\` datetime null, \`created_at\` datetime not null, constraint \`account_tokens_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`account_tokens_user_id_index\` on \`account_tokens\` (\`user_id\`);`);
    this.addSql(`create index \`account_tokens_expires_at_index\` on \`account_tokens\` (\`expires_at\`);`);

    this.addSql(`create table \`account_messages\` (\`id\` integer not null primary key autoincrement, \`user_id\` integer not null, \`kind\` text check (\`kind\` in ('password_reset', 'verify_email')) not null, \`link\` text null, \`status\` text check (\`status\` in ('pending', 'sent', 'failed')) not null default 'pending', \`attempts\` integer not null default 0, \`last_error\` text null, \`next_attempt_at\` datetime null, \`locked_until\` datetime null, \`created_at\` datetime not null, \`sent_at\` datetime null, constraint \`account_messages_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`account_messages_user_id_index\` on \`account_messages\` (\`user_id\`);`);
    this.addSql(`create index \`account_messages_status_next_attempt_at_index\` on \`account_messages\` (\`status\`, \`next_attempt_at\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`account_tokens\`;`);
    this.addSql(`drop table if exists \`account_messages\`;`);
  }

}
