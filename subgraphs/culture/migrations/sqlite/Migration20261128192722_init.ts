import { Migration } from '@mikro-orm/migrations';

export class Migration20261128192722_init extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`auditorium\` (\`id\` text not null, \`name\` text not null, \`village_code\` text not null, \`services\` json not null, \`digital_service_hub\` integer not null, \`year_opened\` integer null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`auditorium_village_code_index\` on \`auditorium\` (\`village_code\`);`);
  }

}
