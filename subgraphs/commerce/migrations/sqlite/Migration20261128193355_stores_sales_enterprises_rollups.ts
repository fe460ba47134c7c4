import { Migration } from '@mikro-orm/migrations';

export class Migration20261128193355_stores_sales_enterprises_rollups extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`commerce_region\` (\`region_code\` text not null, \`parent_code\` text null, \`store_count\` integer not null, \`jobs\` integer not null, \`enterprise_count\` integer not null, \`park_count\` integer not null, \`park_jobs\` integer not null, \`service_point_count\` integer not null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`region_code\`));`);
    this.addSql(`create index \`commerce_region_parent_code_index\` on \`commerce_region\` (\`parent_code\`);`);

    this.addSql(`create table \`commerce_region_month\` (\`region_code\` text not null, \`month\` text not null, \`parent_code\` text null, \`orders\` bigint not null, \`revenue_fen\` bigint not null, primary key (\`region_code\`, \`month\`));`);
    this.addSql(`create index \`commerce_region_month_parent_code_month_index\` on \`commerce_region_month\` (\`parent_code\`, \`month\`);`);

    this.addSql(`create table \`commerce_region_store\` (\`region_code\` text not null, \`platform\` text not null, \`category\` text not null, \`store_count\` integer not null, \`jobs\` integer not null, primary key (\`region_code\`, \`platform\`, \`category\`));`);

    this.addSql(`create table \`ecommerce_park\` (\`id\` text not null, \`name\` text not null, \`county_code\` text not null, \`jobs\` integer not null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`ecommerce_park_county_code_index\` on \`ecommerce_park\` (\`county_code\`);`);

    this.addSql(`create table \`enterprise\` (\`id\` text not null, \`name\` text not null, \`owner_name\` text null, \`county_code\` text not null, \`village_code\` text null, \`industry\` text check (\`industry\` in ('TEA', 'FRUIT', 'VEGETABLES', 'HANDICRAFTS', 'PROCESSED_FOOD', 'OTHER')) not null, \`platforms\` text not null, \`park_id\` text null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`enterprise_county_code_index\` on \`enterprise\` (\`county_code\`);`);
    this.addSql(`create index \`enterprise_village_code_index\` on \`enterprise\` (\`village_code\`);`);
    this.addSql(`create index \`enterprise_park_id_index\` on \`enterprise\` (\`park_id\`);`);

    this.addSql(`create table \`enterprise_year\` (\`enterprise_id\` text not null, \`year\` integer not null, \`online_revenue_fen\` bigint not null, \`offline_revenue_fen\` bigint null, \`employees\` integer null, \`farmers_connected\` integer null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`enterprise_id\`, \`year\`));`);

    this.addSql(`create table \`service_point\` (\`id\` text not null, \`name\` text not null, \`village_code\` text not null, \`kind\` text check (\`kind\` in ('LOGISTICS', 'EXPRESS_PICKUP', 'TRAINING')) not null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`service_point_village_code_index\` on \`service_point\` (\`village_code\`);`);

    this.addSql(`create table \`store_monthly_sales\` (\`store_id\` text not null, \`month\` text not null, \`orders\` integer not null, \`revenue_fen\` bigint not null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`store_id\`, \`month\`));`);

    this.addSql(`alter table \`online_store\` add column \`opened_on\` text not null default '2020-01-01';`);
    this.addSql(`alter table \`online_store\` add column \`status\` text check (\`status\` in ('ACTIVE', 'SUSPENDED', 'CLOSED')) not null default 'ACTIVE';`);
    this.addSql(`alter table \`online_store\` add column \`jobs\` integer not null default 0;`);
    this.addSql(`alter table \`online_store\` add column \`enterprise_id\` text null;`);
    this.addSql(`create index \`online_store_enterprise_id_index\` on \`online_store\` (\`enterprise_id\`);`);
  }

}
