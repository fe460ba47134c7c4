import { Migration } from '@mikro-orm/migrations';

export class Migration20261206053158_village_access_nearest_indexes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "village_access_nearest_clinic_id_index" on "village_access" ("nearest_clinic_id");`);
    this.addSql(`create index "village_access_nearest_township_centre_id_index" on "village_access" ("nearest_township_centre_id");`);
    this.addSql(`create index "village_access_nearest_county_hospital_id_index" on "village_access" ("nearest_county_hospital_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "village_access_nearest_clinic_id_index";`);
    this.addSql(`drop index "village_access_nearest_township_centre_id_index";`);
    this.addSql(`drop index "village_access_nearest_county_hospital_id_index";`);
  }

}
