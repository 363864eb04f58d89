import { Migration } from '@mikro-orm/migrations';

export class Migration20261206093441_accounts extends Migration {


  override up(): void | Promise<void> {
    this.addSql(`alter table \`users\` add column \`locale\` text null;`);
    this.addSql(`alter table \`users\` add column \`email_verified\` integer not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`users\` drop column \`locale\`;`);
    this.addSql(`alter table \`users\` drop column \`email_verified\`;`);
  }

}
