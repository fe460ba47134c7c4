import { IdempotencyKeysPostgresql } from '../../../shared/shared-tables.migrations.js';

/** The shared idempotency keys table (shared/shared-tables.migrations.ts). */
export class Migration20261203070251_idempotency_keys extends IdempotencyKeysPostgresql {}
