import { Migration } from '@mikro-orm/migrations';

export class Migration20261128204458_processing_workshops extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`processing_workshop\` (\`id\` text not null, \`name\` text not null, \`county_code\` text not null, \`village_code\` text not null, \`product\` text check (\`product\` in ('TEA', 'FRUIT', 'VEGETABLES', 'HANDICRAFTS', 'PROCESSED_FOOD', 'OTHER')) not null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`processing_workshop_county_code_index\` on \`processing_workshop\` (\`county_code\`);`);
    this.addSql(`create index \`processing_workshop_village_code_index\` on \`processing_workshop\` (\`village_code\`);`);

    this.addSql(`alter table \`commerce_region\` add column \`workshop_count\` integer not null default 0;`);
  }

}
