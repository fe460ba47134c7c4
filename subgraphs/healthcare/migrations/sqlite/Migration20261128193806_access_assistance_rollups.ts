import { Migration } from '@mikro-orm/migrations';

export class Migration20261128193806_access_assistance_rollups extends Migration {

  override async up(): Promise<void> {
    // Facility rows are seed data (the seeder reloads them); the NOT NULL columns added below
    // have no default, so rows loaded under the first schema cannot be kept.
    this.addSql(`delete from \`facility\`;`);
    this.addSql(`create table \`assistance_point\` (\`id\` text not null, \`village_code\` text not null, \`kind\` text check (\`kind\` in ('CULTURE_AUDITORIUM', 'VILLAGE_CLINIC')) not null, \`auditorium_id\` text null, \`facility_id\` text null, \`helps_with\` json not null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`assistance_point_village_code_index\` on \`assistance_point\` (\`village_code\`);`);

    this.addSql(`create table \`assisted_booking_month\` (\`point_id\` text not null, \`month\` text not null, \`village_code\` text not null, \`doctor_appointments\` integer not null, \`test_results\` integer not null, \`insurance\` integer not null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`point_id\`, \`month\`));`);
    this.addSql(`create index \`assisted_booking_month_village_code_index\` on \`assisted_booking_month\` (\`village_code\`);`);

    this.addSql(`create table \`region_booking_rollup\` (\`region_code\` text not null, \`month\` text not null, \`doctor_appointments\` integer not null, \`test_results\` integer not null, \`insurance\` integer not null, \`point_months\` integer not null, \`reported_point_months\` integer not null, primary key (\`region_code\`, \`month\`));`);

    this.addSql(`create table \`region_healthcare_rollup\` (\`region_code\` text not null, \`village_count\` integer not null, \`villages_clinic_15\` integer not null, \`villages_clinic_30\` integer not null, \`family_doctor_villages\` integer not null, \`telemedicine_villages\` integer not null, \`village_clinics\` integer not null, \`township_centres\` integer not null, \`county_hospitals\` integer not null, \`doctors\` integer not null, \`online_appointment_facilities\` integer not null, \`telemedicine_facilities\` integer not null, \`assistance_points\` integer not null, \`reported_assistance_points\` integer not null, primary key (\`region_code\`));`);

    this.addSql(`create table \`telemedicine_link\` (\`facility_id\` text not null, \`partner_id\` text not null, \`location_code\` text not null, \`since_year\` integer null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`facility_id\`, \`partner_id\`));`);
    this.addSql(`create index \`telemedicine_link_location_code_index\` on \`telemedicine_link\` (\`location_code\`);`);

    this.addSql(`create table \`village_access\` (\`village_code\` text not null, \`nearest_clinic_id\` text null, \`clinic_minutes\` integer null, \`nearest_township_centre_id\` text not null, \`township_centre_minutes\` integer not null, \`nearest_county_hospital_id\` text not null, \`county_hospital_minutes\` integer not null, \`family_doctor_covered\` integer not null, \`provenance_kind\` text check (\`provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, \`provenance_source\` text not null, \`provenance_as_of\` text null, \`provenance_note\` text null, primary key (\`village_code\`));`);

    this.addSql(`alter table \`facility\` add column \`location_code\` text not null;`);
    this.addSql(`alter table \`facility\` add column \`opening_hours\` json not null;`);
    this.addSql(`alter table \`facility\` add column \`hours_provenance_kind\` text check (\`hours_provenance_kind\` in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null;`);
    this.addSql(`alter table \`facility\` add column \`hours_provenance_source\` text not null;`);
    this.addSql(`alter table \`facility\` add column \`hours_provenance_as_of\` text null;`);
    this.addSql(`alter table \`facility\` add column \`hours_provenance_note\` text null;`);
    this.addSql(`alter table \`facility\` add column \`doctor_count\` integer not null;`);
    this.addSql(`alter table \`facility\` add column \`services\` json not null;`);
    this.addSql(`alter table \`facility\` add column \`accepts_online_appointments\` integer not null;`);
    this.addSql(`alter table \`facility\` add column \`offers_telemedicine\` integer not null;`);
    this.addSql(`create index \`facility_location_code_index\` on \`facility\` (\`location_code\`);`);
  }

}
