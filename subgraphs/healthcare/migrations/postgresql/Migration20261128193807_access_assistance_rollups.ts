import { Migration } from '@mikro-orm/migrations';

export class Migration20261128193807_access_assistance_rollups extends Migration {

  override async up(): Promise<void> {
    // Facility rows are seed data (the seeder reloads them); the NOT NULL columns added below
    // have no default, so rows loaded under the first schema cannot be kept.
    this.addSql(`delete from "facility";`);
    this.addSql(`create table "assistance_point" ("id" varchar(40) not null, "village_code" varchar(12) not null, "kind" text check ("kind" in ('CULTURE_AUDITORIUM', 'VILLAGE_CLINIC')) not null, "auditorium_id" varchar(40) null, "facility_id" varchar(40) null, "helps_with" jsonb not null, "provenance_kind" text check ("provenance_kind" in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, "provenance_source" varchar(500) not null, "provenance_as_of" varchar(10) null, "provenance_note" varchar(1000) null, constraint "assistance_point_pkey" primary key ("id"));`);
    this.addSql(`create index "assistance_point_village_code_index" on "assistance_point" ("village_code");`);

    this.addSql(`create table "assisted_booking_month" ("point_id" varchar(40) not null, "month" varchar(7) not null, "village_code" varchar(12) not null, "doctor_appointments" int not null, "test_results" int not null, "insurance" int not null, "provenance_kind" text check ("provenance_kind" in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, "provenance_source" varchar(500) not null, "provenance_as_of" varchar(10) null, "provenance_note" varchar(1000) null, constraint "assisted_booking_month_pkey" primary key ("point_id", "month"));`);
    this.addSql(`create index "assisted_booking_month_village_code_index" on "assisted_booking_month" ("village_code");`);

    this.addSql(`create table "region_booking_rollup" ("region_code" varchar(9) not null, "month" varchar(7) not null, "doctor_appointments" int not null, "test_results" int not null, "insurance" int not null, "point_months" int not null, "reported_point_months" int not null, constraint "region_booking_rollup_pkey" primary key ("region_code", "month"));`);

    this.addSql(`create table "region_healthcare_rollup" ("region_code" varchar(9) not null, "village_count" int not null, "villages_clinic_15" int not null, "villages_clinic_30" int not null, "family_doctor_villages" int not null, "telemedicine_villages" int not null, "village_clinics" int not null, "township_centres" int not null, "county_hospitals" int not null, "doctors" int not null, "online_appointment_facilities" int not null, "telemedicine_facilities" int not null, "assistance_points" int not null, "reported_assistance_points" int not null, constraint "region_healthcare_rollup_pkey" primary key ("region_code"));`);

    this.addSql(`create table "telemedicine_link" ("facility_id" varchar(40) not null, "partner_id" varchar(40) not null, "location_code" varchar(12) not null, "since_year" int null, "provenance_kind" text check ("provenance_kind" in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, "provenance_source" varchar(500) not null, "provenance_as_of" varchar(10) null, "provenance_note" varchar(1000) null, constraint "telemedicine_link_pkey" primary key ("facility_id", "partner_id"));`);
    this.addSql(`create index "telemedicine_link_location_code_index" on "telemedicine_link" ("location_code");`);

    this.addSql(`create table "village_access" ("village_code" varchar(12) not null, "nearest_clinic_id" varchar(40) null, "clinic_minutes" int null, "nearest_township_centre_id" varchar(40) not null, "township_centre_minutes" int not null, "nearest_county_hospital_id" varchar(40) not null, "county_hospital_minutes" int not null, "family_doctor_covered" boolean not null, "provenance_kind" text check ("provenance_kind" in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, "provenance_source" varchar(500) not null, "provenance_as_of" varchar(10) null, "provenance_note" varchar(1000) null, constraint "village_access_pkey" primary key ("village_code"));`);

    this.addSql(`alter table "facility" add column "location_code" varchar(12) not null, add column "opening_hours" jsonb not null, add column "hours_provenance_kind" text check ("hours_provenance_kind" in ('OFFICIAL', 'REPORTED', 'SYNTHETIC')) not null, add column "hours_provenance_source" varchar(500) not null, add column "hours_provenance_as_of" varchar(10) null, add column "hours_provenance_note" varchar(1000) null, add column "doctor_count" int not null, add column "services" jsonb not null, add column "accepts_online_appointments" boolean not null, add column "offers_telemedicine" boolean not null;`);
    this.addSql(`create index "facility_location_code_index" on "facility" ("location_code");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "assistance_point" cascade;`);

    this.addSql(`drop table if exists "assisted_booking_month" cascade;`);

    this.addSql(`drop table if exists "region_booking_rollup" cascade;`);

    this.addSql(`drop table if exists "region_healthcare_rollup" cascade;`);

    this.addSql(`drop table if exists "telemedicine_link" cascade;`);

    this.addSql(`drop table if exists "village_access" cascade;`);

    this.addSql(`drop index "facility_location_code_index";`);
    this.addSql(`alter table "facility" drop column "location_code", drop column "opening_hours", drop column "hours_provenance_kind", drop column "hours_provenance_source", drop column "hours_provenance_as_of", drop column "hours_provenance_note", drop column "doctor_count", drop column "services", drop column "accepts_online_appointments", drop column "offers_telemedicine";`);
  }

}
