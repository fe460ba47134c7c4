import { Migration } from '@mikro-orm/migrations';

export class Migration20261203174232_change_outbox extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "village_change" ("id" serial primary key, "village_code" varchar(12) null, "region_code" varchar(12) null, "what" varchar(40) not null, "changed_at" varchar(30) not null);`);
    this.addSql(`create index "village_change_village_code_index" on "village_change" ("village_code");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "village_change" cascade;`);
  }

}
