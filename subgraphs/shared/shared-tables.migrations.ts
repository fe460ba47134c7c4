import { Migration } from '@mikro-orm/migrations';

/**
 * The migrations of the tables every domain subgraph keeps for the shared modules: exactly-once
 * writes (`idempotency.ts`), the loaded scope (`loaded-scope.ts`) and the change outbox
 * (`changes.ts`). Each subgraph's migration of one of them extends the class here under its own
 * name (the name its database records), so the SQL is written once per engine. A change to one
 * of these tables is a new migration, never an edit here: a database that ran one keeps it.
 */
function migrationOf(up: string[], down: string[]) {
  return class extends Migration {
    override async up(): Promise<void> {
      for (const sql of up) this.addSql(sql);
    }

    override async down(): Promise<void> {
      for (const sql of down) this.addSql(sql);
    }
  };
}

export const IdempotencyKeysPostgresql = migrationOf(
  [
    `create table "idempotency_key" ("caller" varchar(200) not null, "key" varchar(255) not null, "field" varchar(100) not null, "fingerprint" varchar(64) not null, "operation" varchar(100) not null, "response" text null, "created_at" varchar(24) not null, constraint "idempotency_key_pkey" primary key ("caller", "key", "field"));`,
    `create index "idempotency_key_created_at_index" on "idempotency_key" ("created_at");`,
  ],
  [`drop table if exists "idempotency_key" cascade;`],
);

export const IdempotencyKeysSqlite = migrationOf(
  [
    'create table `idempotency_key` (`caller` text not null, `key` text not null, `field` text not null, `fingerprint` text not null, `operation` text not null, `response` text null, `created_at` text not null, primary key (`caller`, `key`, `field`));',
    'create index `idempotency_key_created_at_index` on `idempotency_key` (`created_at`);',
  ],
  ['drop table if exists `idempotency_key`;'],
);

export const LoadedScopePostgresql = migrationOf(
  [
    `create table "loaded_scope" ("prefix" varchar(9) not null, "scope" varchar(20) not null, constraint "loaded_scope_pkey" primary key ("prefix"));`,
  ],
  [`drop table if exists "loaded_scope" cascade;`],
);

export const LoadedScopeSqlite = migrationOf(
  [
    'create table `loaded_scope` (`prefix` text not null, `scope` text not null, primary key (`prefix`));',
  ],
  ['drop table if exists `loaded_scope`;'],
);

export const ChangeOutboxPostgresql = migrationOf(
  [
    `create table "village_change" ("id" serial primary key, "village_code" varchar(12) null, "region_code" varchar(12) null, "what" varchar(40) not null, "changed_at" varchar(30) not null);`,
    `create index "village_change_village_code_index" on "village_change" ("village_code");`,
  ],
  [`drop table if exists "village_change" cascade;`],
);

export const ChangeOutboxSqlite = migrationOf(
  [
    'create table `village_change` (`id` integer not null primary key autoincrement, `village_code` text null, `region_code` text null, `what` text not null, `changed_at` text not null);',
    'create index `village_change_village_code_index` on `village_change` (`village_code`);',
  ],
  ['drop table if exists `village_change`;'],
);
