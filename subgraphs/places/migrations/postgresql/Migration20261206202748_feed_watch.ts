import { Migration } from '@mikro-orm/migrations';

export class Migration20261206202748_feed_watch extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "feed_watch" ("domain" varchar(20) not null, "generation" varchar(8) not null, "high_id" int not null, "high_stamp" varchar(8) not null, constraint "feed_watch_pkey" primary key ("domain"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "feed_watch" cascade;`);
  }

}
