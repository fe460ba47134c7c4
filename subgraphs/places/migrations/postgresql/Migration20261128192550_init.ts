import { Migration } from '@mikro-orm/migrations';

export class Migration20261128192550_init extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "region" ("code" varchar(12) not null, "name" varchar(100) not null, "level" text check ("level" in ('PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP')) not null, "parent_code" varchar(12) null, "village_count" int not null, "rural_village_count" int not null, constraint "region_pkey" primary key ("code"));`);
    this.addSql(`create index "region_parent_code_index" on "region" ("parent_code");`);

    this.addSql(`create table "village" ("code" varchar(12) not null, "name" varchar(100) not null, "kind" text check ("kind" in ('RURAL_VILLAGE', 'URBAN_COMMUNITY', 'OTHER')) not null, "township_code" varchar(9) not null, "county_code" varchar(6) not null, "city_code" varchar(4) not null, "province_code" varchar(2) not null, constraint "village_pkey" primary key ("code"));`);
    this.addSql(`create index "village_township_code_code_index" on "village" ("township_code", "code");`);
    this.addSql(`create index "village_county_code_code_index" on "village" ("county_code", "code");`);
    this.addSql(`create index "village_city_code_code_index" on "village" ("city_code", "code");`);
    this.addSql(`create index "village_province_code_code_index" on "village" ("province_code", "code");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "region" cascade;`);

    this.addSql(`drop table if exists "village" cascade;`);
  }

}
