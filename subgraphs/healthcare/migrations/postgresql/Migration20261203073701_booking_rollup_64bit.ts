import { Migration } from '@mikro-orm/migrations';

export class Migration20261203073701_booking_rollup_64bit extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "region_booking_rollup" alter column "doctor_appointments" type bigint using ("doctor_appointments"::bigint);`);
    this.addSql(`alter table "region_booking_rollup" alter column "test_results" type bigint using ("test_results"::bigint);`);
    this.addSql(`alter table "region_booking_rollup" alter column "insurance" type bigint using ("insurance"::bigint);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "region_booking_rollup" alter column "doctor_appointments" type int4 using ("doctor_appointments"::int4);`);
    this.addSql(`alter table "region_booking_rollup" alter column "test_results" type int4 using ("test_results"::int4);`);
    this.addSql(`alter table "region_booking_rollup" alter column "insurance" type int4 using ("insurance"::int4);`);
  }

}
