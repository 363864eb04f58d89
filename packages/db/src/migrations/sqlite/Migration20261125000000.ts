import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000000 extends Migration {
  override up(): void {
    this.addSql(
      "create table `users` (`id` integer not null primary key autoincrement, `email` text not null, `full_name` text not null, `role` text check (`role` in ('admin', 'staff', 'client')) not null, `password_hash` text not null, `is_active` integer not null default true, `timezone` text not null, `no_show_count` integer not null default 0, `is_blocked` integer not null default false, `created_at` datetime not null, `updated_at` datetime not null);",
    );
    this.addSql('create unique index `users_email_unique` on `users` (`email`);');
    this.addSql(
      'create table `sessions` (`id` text not null primary key, `user_id` integer not null, `expires_at` datetime not null, `created_at` datetime not null, constraint `sessions_user_id_foreign` foreign key (`user_id`) references `users` (`id`) on delete cascade);',
    );
    this.addSql('create index `sessions_user_id_index` on `sessions` (`user_id`);');
    this.addSql('create index `sessions_expires_at_index` on `sessions` (`expires_at`);');
  }
}
