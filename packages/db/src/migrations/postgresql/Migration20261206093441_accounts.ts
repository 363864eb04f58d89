import { Migration } from '@mikro-orm/migrations';

export class Migration20261206093441_accounts extends Migration {


  override up(): void | Promise<void> {
    this.addSql(`alter table "users" add "locale" varchar(35) null, add "email_verified" boolean not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "users" drop column "locale", drop column "email_verified";`);
  }

}
