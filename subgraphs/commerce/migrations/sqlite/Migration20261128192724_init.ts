import { Migration } from '@mikro-orm/migrations';

export class Migration20261128192724_init extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`online_store\` (\`id\` text not null, \`name\` text not null, \`village_code\` text not null, \`platform\` text check (\`platform\` in ('PINDUODUO', 'TAOBAO_TMALL', 'JD', 'DOUYIN', 'WECHAT_MINI_SHOP', 'OTHER')) not null, \`category\` text check (\`category\` in ('TEA', 'FRUIT', 'VEGETABLES', 'HANDICRAFTS', 'PROCESSED_FOOD', 'OTHER')) not null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`online_store_village_code_index\` on \`online_store\` (\`village_code\`);`);
  }

}
