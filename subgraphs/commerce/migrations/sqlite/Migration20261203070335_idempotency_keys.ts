import { IdempotencyKeysSqlite } from '../../../shared/shared-tables.migrations.js';

/** The shared idempotency keys table (shared/shared-tables.migrations.ts). */
export class Migration20261203070335_idempotency_keys extends IdempotencyKeysSqlite {}
