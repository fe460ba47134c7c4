import { LoadedScopePostgresql } from '../../../shared/shared-tables.migrations.js';

/** The shared loaded scope table (shared/shared-tables.migrations.ts). */
export class Migration20261207200000_loaded_scope extends LoadedScopePostgresql {}
