import type { EntityManager } from '../../shared/database.js';

/** Row locks (`for update`) exist on PostgreSQL; SQLite serialises write transactions anyway. */
export function isPostgres(em: EntityManager): boolean {
  return (em.getKnex().client as { dialect?: string }).dialect === 'postgresql';
}
