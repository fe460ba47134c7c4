import { Migration } from '@mikro-orm/migrations';

export class Migration20261128192722_init extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "auditorium" ("id" varchar(40) not null, "name" varchar(200) not null, "village_code" varchar(12) not null, "services" jsonb not null, "digital_service_hub" boolean not null, "year_opened" int null, "provenance_kind" text check ("provenance_kind" in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, "provenance_source" varchar(500) not null, "provenance_as_of" varchar(10) null, "provenance_note" varchar(1000) null, constraint "auditorium_pkey" primary key ("id"));`);
    this.addSql(`create index "auditorium_village_code_index" on "auditorium" ("village_code");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "auditorium" cascade;`);
  }

}
