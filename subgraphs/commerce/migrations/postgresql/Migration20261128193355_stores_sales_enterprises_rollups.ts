import { Migration } from '@mikro-orm/migrations';

export class Migration20261128193355_stores_sales_enterprises_rollups extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "commerce_region" ("region_code" varchar(12) not null, "parent_code" varchar(12) null, "store_count" int not null, "jobs" int not null, "enterprise_count" int not null, "park_count" int not null, "park_jobs" int not null, "service_point_count" int not null, "provenance_kind" text check ("provenance_kind" in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, "provenance_source" varchar(500) not null, "provenance_as_of" varchar(10) null, "provenance_note" varchar(1000) null, constraint "commerce_region_pkey" primary key ("region_code"));`);
    this.addSql(`create index "commerce_region_parent_code_index" on "commerce_region" ("parent_code");`);

    this.addSql(`create table "commerce_region_month" ("region_code" varchar(12) not null, "month" varchar(7) not null, "parent_code" varchar(12) null, "orders" bigint not null, "revenue_fen" bigint not null, constraint "commerce_region_month_pkey" primary key ("region_code", "month"));`);
    this.addSql(`create index "commerce_region_month_parent_code_month_index" on "commerce_region_month" ("parent_code", "month");`);

    this.addSql(`create table "commerce_region_store" ("region_code" varchar(12) not null, "platform" varchar(20) not null, "category" varchar(20) not null, "store_count" int not null, "jobs" int not null, constraint "commerce_region_store_pkey" primary key ("region_code", "platform", "category"));`);

    this.addSql(`create table "ecommerce_park" ("id" varchar(40) not null, "name" varchar(200) not null, "county_code" varchar(6) not null, "jobs" int not null, "provenance_kind" text check ("provenance_kind" in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, "provenance_source" varchar(500) not null, "provenance_as_of" varchar(10) null, "provenance_note" varchar(1000) null, constraint "ecommerce_park_pkey" primary key ("id"));`);
    this.addSql(`create index "ecommerce_park_county_code_index" on "ecommerce_park" ("county_code");`);

    this.addSql(`create table "enterprise" ("id" varchar(40) not null, "name" varchar(200) not null, "owner_name" varchar(100) null, "county_code" varchar(6) not null, "village_code" varchar(12) null, "industry" text check ("industry" in ('TEA', 'FRUIT', 'VEGETABLES', 'HANDICRAFTS', 'PROCESSED_FOOD', 'OTHER')) not null, "platforms" varchar(200) not null, "park_id" varchar(40) null, "provenance_kind" text check ("provenance_kind" in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, "provenance_source" varchar(500) not null, "provenance_as_of" varchar(10) null, "provenance_note" varchar(1000) null, constraint "enterprise_pkey" primary key ("id"));`);
    this.addSql(`create index "enterprise_county_code_index" on "enterprise" ("county_code");`);
    this.addSql(`create index "enterprise_village_code_index" on "enterprise" ("village_code");`);
    this.addSql(`create index "enterprise_park_id_index" on "enterprise" ("park_id");`);

    this.addSql(`create table "enterprise_year" ("enterprise_id" varchar(40) not null, "year" int not null, "online_revenue_fen" bigint not null, "offline_revenue_fen" bigint null, "employees" int null, "farmers_connected" int null, "provenance_kind" text check ("provenance_kind" in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, "provenance_source" varchar(500) not null, "provenance_as_of" varchar(10) null, "provenance_note" varchar(1000) null, constraint "enterprise_year_pkey" primary key ("enterprise_id", "year"));`);

    this.addSql(`create table "service_point" ("id" varchar(40) not null, "name" varchar(200) not null, "village_code" varchar(12) not null, "kind" text check ("kind" in ('LOGISTICS', 'EXPRESS_PICKUP', 'TRAINING')) not null, "provenance_kind" text check ("provenance_kind" in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, "provenance_source" varchar(500) not null, "provenance_as_of" varchar(10) null, "provenance_note" varchar(1000) null, constraint "service_point_pkey" primary key ("id"));`);
    this.addSql(`create index "service_point_village_code_index" on "service_point" ("village_code");`);

    this.addSql(`create table "store_monthly_sales" ("store_id" varchar(40) not null, "month" varchar(7) not null, "orders" int not null, "revenue_fen" bigint not null, "provenance_kind" text check ("provenance_kind" in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, "provenance_source" varchar(500) not null, "provenance_as_of" varchar(10) null, "provenance_note" varchar(1000) null, constraint "store_monthly_sales_pkey" primary key ("store_id", "month"));`);

    this.addSql(`alter table "online_store" add column "opened_on" varchar(10) not null default '2020-01-01', add column "status" text check ("status" in ('ACTIVE', 'SUSPENDED', 'CLOSED')) not null default 'ACTIVE', add column "jobs" int not null default 0, add column "enterprise_id" varchar(40) null;`);
    this.addSql(`create index "online_store_enterprise_id_index" on "online_store" ("enterprise_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "commerce_region" cascade;`);

    this.addSql(`drop table if exists "commerce_region_month" cascade;`);

    this.addSql(`drop table if exists "commerce_region_store" cascade;`);

    this.addSql(`drop table if exists "ecommerce_park" cascade;`);

    this.addSql(`drop table if exists "enterprise" cascade;`);

    this.addSql(`drop table if exists "enterprise_year" cascade;`);

    this.addSql(`drop table if exists "service_point" cascade;`);

    this.addSql(`drop table if exists "store_monthly_sales" cascade;`);

    this.addSql(`drop index "online_store_enterprise_id_index";`);
    this.addSql(`alter table "online_store" drop column "opened_on", drop column "status", drop column "jobs", drop column "enterprise_id";`);
  }

}
