import { Migration } from '@mikro-orm/migrations';

export class Migration20261128192724_init extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "online_store" ("id" varchar(40) not null, "name" varchar(200) not null, "village_code" varchar(12) not null, "platform" text check ("platform" in ('PINDUODUO', 'TAOBAO_TMALL', 'JD', 'DOUYIN', 'WECHAT_MINI_SHOP', 'OTHER')) not null, "category" text check ("category" in ('TEA', 'FRUIT', 'VEGETABLES', 'HANDICRAFTS', 'PROCESSED_FOOD', 'OTHER')) not null, "provenance_kind" text check ("provenance_kind" in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, "provenance_source" varchar(500) not null, "provenance_as_of" varchar(10) null, "provenance_note" varchar(1000) null, constraint "online_store_pkey" primary key ("id"));`);
    this.addSql(`create index "online_store_village_code_index" on "online_store" ("village_code");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "online_store" cascade;`);
  }

}
