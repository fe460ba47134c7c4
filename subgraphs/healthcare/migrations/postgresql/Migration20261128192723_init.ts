import { Migration } from '@mikro-orm/migrations';

export class Migration20261128192723_init extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "facility" ("id" varchar(40) not null, "name" varchar(200) not null, "level" text check ("level" in ('VILLAGE_CLINIC', 'TOWNSHIP_HEALTH_CENTRE', 'COUNTY_HOSPITAL')) not null, "village_code" varchar(12) null, "region_code" varchar(12) not null, "provenance_kind" text check ("provenance_kind" in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, "provenance_source" varchar(500) not null, "provenance_as_of" varchar(10) null, "provenance_note" varchar(1000) null, constraint "facility_pkey" primary key ("id"));`);
    this.addSql(`create index "facility_village_code_index" on "facility" ("village_code");`);
    this.addSql(`create index "facility_region_code_index" on "facility" ("region_code");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "facility" cascade;`);
  }

}
