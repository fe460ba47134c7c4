import { ChangeOutboxSqlite } from '../../../shared/shared-tables.migrations.js';

/** The shared change outbox table (shared/shared-tables.migrations.ts). */
export class Migration20261203174230_change_outbox extends ChangeOutboxSqlite {}
