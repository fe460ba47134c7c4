import { Migration } from '@mikro-orm/migrations';

export class Migration20261206113252_assistance_point_auditorium_index extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "assistance_point_auditorium_id_index" on "assistance_point" ("auditorium_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "assistance_point_auditorium_id_index";`);
  }

}
