import { Migration } from '@mikro-orm/migrations';

export class Migration20261128194042_activity_rollups extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`auditorium_event\` (\`id\` text not null, \`auditorium_id\` text not null, \`village_code\` text not null, \`date\` text not null, \`title\` text not null, \`type\` text check (\`type\` in ('PERFORMANCE', 'LECTURE', 'READING_SESSION', 'DIALECT_CLASS', 'TRADITIONAL_CULTURE_CLASS', 'DIGITAL_SKILLS_TRAINING', 'E_COMMERCE_TRAINING', 'FESTIVAL_CELEBRATION', 'PUBLIC_SERVICE_DAY')) not null, \`attendance\` integer not null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`auditorium_event_village_code_index\` on \`auditorium_event\` (\`village_code\`);`);
    this.addSql(`create index \`auditorium_event_auditorium_id_date_index\` on \`auditorium_event\` (\`auditorium_id\`, \`date\`);`);

    this.addSql(`create table \`auditorium_usage\` (\`auditorium_id\` text not null, \`month\` text not null, \`village_code\` text not null, \`visits\` integer not null, \`resource_views\` integer not null, \`medical_appointment_sessions\` integer not null, \`social_insurance_sessions\` integer not null, \`e_government_sessions\` integer not null, \`other_assisted_sessions\` integer not null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`auditorium_id\`, \`month\`));`);
    this.addSql(`create index \`auditorium_usage_village_code_month_index\` on \`auditorium_usage\` (\`village_code\`, \`month\`);`);

    this.addSql(`create table \`auditorium_resource\` (\`auditorium_id\` text not null, \`resource_id\` text not null, \`village_code\` text not null, primary key (\`auditorium_id\`, \`resource_id\`));`);
    this.addSql(`create index \`auditorium_resource_village_code_index\` on \`auditorium_resource\` (\`village_code\`);`);
    this.addSql(`create index \`auditorium_resource_resource_id_auditorium_id_index\` on \`auditorium_resource\` (\`resource_id\`, \`auditorium_id\`);`);

    this.addSql(`create table \`digital_resource\` (\`id\` text not null, \`title\` text not null, \`kind\` text check (\`kind\` in ('E_BOOK', 'DIALECT_LESSON', 'TRADITIONAL_CULTURE_COURSE')) not null, \`topic\` text check (\`topic\` in ('DIALECT', 'LOCAL_HISTORY', 'FOLK_CUSTOMS', 'LOCAL_OPERA', 'HANDICRAFTS', 'TEA_CULTURE', 'FESTIVALS', 'LITERATURE', 'AGRICULTURE', 'HEALTH', 'DIGITAL_SKILLS')) not null, \`format\` text check (\`format\` in ('TEXT', 'AUDIO', 'VIDEO')) not null, \`language\` text check (\`language\` in ('STANDARD_CHINESE', 'WU_CHINESE', 'SHE')) not null, \`dialect\` text check (\`dialect\` in ('HANGZHOU_WU', 'NINGBO_WU', 'WENZHOU_WU', 'JIAXING_WU', 'HUZHOU_WU', 'SHAOXING_WU', 'JINHUA_WU', 'QUZHOU_WU', 'ZHOUSHAN_WU', 'TAIZHOU_WU', 'LISHUI_WU', 'SHE_JINGNING')) null, \`duration_minutes\` integer null, \`pages\` integer null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`digital_resource_kind_index\` on \`digital_resource\` (\`kind\`);`);
    this.addSql(`create index \`digital_resource_topic_index\` on \`digital_resource\` (\`topic\`);`);
    this.addSql(`create index \`digital_resource_dialect_index\` on \`digital_resource\` (\`dialect\`);`);

    this.addSql(`create table \`region_culture_rollup\` (\`region_code\` text not null, \`level\` integer not null, \`auditorium_count\` integer not null, \`rural_villages_covered\` integer not null, \`digital_service_hub_count\` integer not null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`region_code\`));`);
    this.addSql(`create index \`region_culture_rollup_level_region_code_index\` on \`region_culture_rollup\` (\`level\`, \`region_code\`);`);

    this.addSql(`create table \`region_usage_rollup\` (\`region_code\` text not null, \`month\` text not null, \`level\` integer not null, \`reports\` bigint not null, \`visits\` bigint not null, \`resource_views\` bigint not null, \`medical_appointment_sessions\` bigint not null, \`social_insurance_sessions\` bigint not null, \`e_government_sessions\` bigint not null, \`other_assisted_sessions\` bigint not null, \`events\` bigint not null, \`event_attendance\` bigint not null, primary key (\`region_code\`, \`month\`));`);
    this.addSql(`create index \`region_usage_rollup_level_month_index\` on \`region_usage_rollup\` (\`level\`, \`month\`);`);

    this.addSql(`alter table \`auditorium\` add column \`opening_hours\` text null;`);
    this.addSql(`alter table \`auditorium\` add column \`floor_area\` integer null;`);
    this.addSql(`alter table \`auditorium\` add column \`seats\` integer null;`);
  }

}
