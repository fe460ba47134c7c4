import { bulkUpsert } from '../../shared/bulk.js';
import type { EntityManager, Orm } from '../../shared/database.js';
import {
  isRuralVillageName,
  readDivisions,
  scopePrefix,
  villageShortName,
} from '../../shared/divisions.js';
import { ProvenanceKind, SYNTHETIC_SOURCE } from '../../shared/provenance.js';
import type { SeedOptions, SeedResult } from '../../shared/subgraph.js';
import { rngFor } from '../../shared/synthetic.js';
import { FacilityLevel } from '../facility/facility.entity.js';

/** Synthetic assumption: about 85 % of rural villages have their own clinic. */
const CLINIC_SHARE = 0.85;

export async function seedHealthcare(orm: Orm, opts: SeedOptions): Promise<SeedResult> {
  const em = orm.em.fork() as EntityManager;
  const prefix = scopePrefix(opts.scope);
  const rows: Record<string, unknown>[] = [];
  for await (const v of readDivisions('villages')) {
    if (!v.code.startsWith(prefix) || !isRuralVillageName(v.name)) continue;
    if (rngFor(opts.seed, `clinic:${v.code}`)() >= CLINIC_SHARE) continue;
    rows.push({
      id: `clinic-${v.code}`,
      name: `${villageShortName(v.name)}卫生室`,
      level: FacilityLevel.VILLAGE_CLINIC,
      village_code: v.code,
      region_code: v.streetCode,
      provenance_kind: ProvenanceKind.SYNTHETIC,
      provenance_source: SYNTHETIC_SOURCE,
      provenance_as_of: '2021-12-31',
      provenance_note: null,
    });
  }
  await bulkUpsert(em, 'facility', rows, ['id']);
  return { rows: { facility: rows.length } };
}
