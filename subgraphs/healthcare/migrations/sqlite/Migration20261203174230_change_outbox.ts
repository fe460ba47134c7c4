import { Migration } from '@mikro-orm/migrations';

export class Migration20261203174230_change_outbox extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`village_change\` (\`id\` integer not null primary key autoincrement, \`village_code\` text null, \`region_code\` text null, \`what\` text not null, \`changed_at\` text not null);`);
    this.addSql(`create index \`village_change_village_code_index\` on \`village_change\` (\`village_code\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`village_change\`;`);
  }

}
