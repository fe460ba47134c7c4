import { Migration } from '@mikro-orm/migrations';

export class Migration20261203072958_loaded_scope extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "loaded_scope" ("prefix" varchar(9) not null, "scope" varchar(20) not null, constraint "loaded_scope_pkey" primary key ("prefix"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "loaded_scope" cascade;`);
  }

}
