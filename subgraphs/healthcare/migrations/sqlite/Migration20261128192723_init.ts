import { Migration } from '@mikro-orm/migrations';

export class Migration20261128192723_init extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`facility\` (\`id\` text not null, \`name\` text not null, \`level\` text check (\`level\` in ('VILLAGE_CLINIC', 'TOWNSHIP_HEALTH_CENTRE', 'COUNTY_HOSPITAL')) not null, \`village_code\` text null, \`region_code\` text not null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`facility_village_code_index\` on \`facility\` (\`village_code\`);`);
    this.addSql(`create index \`facility_region_code_index\` on \`facility\` (\`region_code\`);`);
  }

}
