import { Migration } from '@mikro-orm/migrations';

export class Migration20261203070251_idempotency_keys extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "idempotency_key" ("caller" varchar(200) not null, "key" varchar(255) not null, "field" varchar(100) not null, "fingerprint" varchar(64) not null, "operation" varchar(100) not null, "response" text null, "created_at" varchar(24) not null, constraint "idempotency_key_pkey" primary key ("caller", "key", "field"));`);
    this.addSql(`create index "idempotency_key_created_at_index" on "idempotency_key" ("created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "idempotency_key" cascade;`);
  }

}
