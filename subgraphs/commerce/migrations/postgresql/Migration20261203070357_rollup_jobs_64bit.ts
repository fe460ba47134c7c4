import { Migration } from '@mikro-orm/migrations';

export class Migration20261203070357_rollup_jobs_64bit extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "commerce_region" alter column "jobs" type bigint using ("jobs"::bigint);`);
    this.addSql(`alter table "commerce_region" alter column "park_jobs" type bigint using ("park_jobs"::bigint);`);

    this.addSql(`alter table "commerce_region_store" alter column "jobs" type bigint using ("jobs"::bigint);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "commerce_region" alter column "jobs" type int4 using ("jobs"::int4);`);
    this.addSql(`alter table "commerce_region" alter column "park_jobs" type int4 using ("park_jobs"::int4);`);

    this.addSql(`alter table "commerce_region_store" alter column "jobs" type int4 using ("jobs"::int4);`);
  }

}
