import { Migration } from '@mikro-orm/migrations';

export class Migration20261128204459_processing_workshops extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "processing_workshop" ("id" varchar(40) not null, "name" varchar(200) not null, "county_code" varchar(6) not null, "village_code" varchar(12) not null, "product" text check ("product" in ('TEA', 'FRUIT', 'VEGETABLES', 'HANDICRAFTS', 'PROCESSED_FOOD', 'OTHER')) not null, "provenance_kind" text check ("provenance_kind" in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, "provenance_source" varchar(500) not null, "provenance_as_of" varchar(10) null, "provenance_note" varchar(1000) null, constraint "processing_workshop_pkey" primary key ("id"));`);
    this.addSql(`create index "processing_workshop_county_code_index" on "processing_workshop" ("county_code");`);
    this.addSql(`create index "processing_workshop_village_code_index" on "processing_workshop" ("village_code");`);

    this.addSql(`alter table "commerce_region" add column "workshop_count" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "processing_workshop" cascade;`);

    this.addSql(`alter table "commerce_region" drop column "workshop_count";`);
  }

}
