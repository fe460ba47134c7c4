import { ChangeOutboxPostgresql } from '../../../shared/shared-tables.migrations.js';

/** The shared change outbox table (shared/shared-tables.migrations.ts). */
export class Migration20261203174228_change_outbox extends ChangeOutboxPostgresql {}
