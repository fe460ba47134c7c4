import { Migration } from '@mikro-orm/migrations';

export class Migration20261206232441_region_urban_count extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`region\` add column \`urban_community_count\` integer not null default 0;`);
    // Regions loaded before the column: counted from their villages, as the seed counts them.
    this.addSql(
      `update \`region\` set \`urban_community_count\` = (select count(*) from \`village\` where \`village\`.\`province_code\` = \`region\`.\`code\` and \`village\`.\`kind\` = 'URBAN_COMMUNITY') where \`region\`.\`level\` = 'PROVINCE';`,
    );
    this.addSql(
      `update \`region\` set \`urban_community_count\` = (select count(*) from \`village\` where \`village\`.\`city_code\` = \`region\`.\`code\` and \`village\`.\`kind\` = 'URBAN_COMMUNITY') where \`region\`.\`level\` = 'CITY';`,
    );
    this.addSql(
      `update \`region\` set \`urban_community_count\` = (select count(*) from \`village\` where \`village\`.\`county_code\` = \`region\`.\`code\` and \`village\`.\`kind\` = 'URBAN_COMMUNITY') where \`region\`.\`level\` = 'COUNTY';`,
    );
    this.addSql(
      `update \`region\` set \`urban_community_count\` = (select count(*) from \`village\` where \`village\`.\`township_code\` = \`region\`.\`code\` and \`village\`.\`kind\` = 'URBAN_COMMUNITY') where \`region\`.\`level\` = 'TOWNSHIP';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`region\` drop column \`urban_community_count\`;`);
  }

}
