import { Migration } from '@mikro-orm/migrations';

export class Migration20261128192550_init extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`region\` (\`code\` text not null, \`name\` text not null, \`level\` text check (\`level\` in ('PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP')) not null, \`parent_code\` text null, \`village_count\` integer not null, \`rural_village_count\` integer not null, primary key (\`code\`));`);
    this.addSql(`create index \`region_parent_code_index\` on \`region\` (\`parent_code\`);`);

    this.addSql(`create table \`village\` (\`code\` text not null, \`name\` text not null, \`kind\` text check (\`kind\` in ('RURAL_VILLAGE', 'URBAN_COMMUNITY', 'OTHER')) not null, \`township_code\` text not null, \`county_code\` text not null, \`city_code\` text not null, \`province_code\` text not null, primary key (\`code\`));`);
    this.addSql(`create index \`village_township_code_code_index\` on \`village\` (\`township_code\`, \`code\`);`);
    this.addSql(`create index \`village_county_code_code_index\` on \`village\` (\`county_code\`, \`code\`);`);
    this.addSql(`create index \`village_city_code_code_index\` on \`village\` (\`city_code\`, \`code\`);`);
    this.addSql(`create index \`village_province_code_code_index\` on \`village\` (\`province_code\`, \`code\`);`);
  }

}
