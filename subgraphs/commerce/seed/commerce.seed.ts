import { bulkUpsert } from '../../shared/bulk.js';
import type { EntityManager, Orm } from '../../shared/database.js';
import {
  isRuralVillageName,
  readDivisions,
  scopePrefix,
  villageShortName,
} from '../../shared/divisions.js';
import { ProvenanceKind, SYNTHETIC_SOURCE, XINHUA_2021 } from '../../shared/provenance.js';
import type { SeedOptions, SeedResult } from '../../shared/subgraph.js';
import { hash32, pick, rngFor } from '../../shared/synthetic.js';
import { Platform, ProductCategory } from '../store/store.entity.js';

/** Reported: Songyang county has about 1,500 online tea stores (2021). */
export const SONGYANG = '331124';
export const SONGYANG_TEA_STORES = 1_500;

const PLATFORMS = Object.values(Platform);
const OTHER_CATEGORIES = Object.values(ProductCategory).filter((c) => c !== ProductCategory.TEA);

export async function seedCommerce(orm: Orm, opts: SeedOptions): Promise<SeedResult> {
  const em = orm.em.fork() as EntityManager;
  const prefix = scopePrefix(opts.scope);
  const songyang: string[] = [];
  const rows: Record<string, unknown>[] = [];
  for await (const v of readDivisions('villages')) {
    if (!v.code.startsWith(prefix) || !isRuralVillageName(v.name)) continue;
    if (v.areaCode === SONGYANG) {
      songyang.push(v.code);
      continue;
    }
    const random = rngFor(opts.seed, `stores:${v.code}`);
    const count = random() < 0.3 ? 1 + Math.floor(random() * 3) : 0;
    for (let i = 1; i <= count; i++) {
      rows.push({
        id: `store-${v.code}-${i}`,
        name: `${villageShortName(v.name)}网店${i}`,
        village_code: v.code,
        platform: pick(random, PLATFORMS),
        category: pick(random, OTHER_CATEGORIES),
        provenance_kind: ProvenanceKind.SYNTHETIC,
        provenance_source: SYNTHETIC_SOURCE,
        provenance_as_of: '2021-12-31',
        provenance_note: null,
      });
    }
  }
  // Songyang's reported total is spread over its rural villages by a seeded weight per village.
  const weights = songyang.map((code) => 1 + (hash32(`${opts.seed}:tea:${code}`) % 9));
  const total = weights.reduce((a, b) => a + b, 0);
  let assigned = 0;
  songyang.forEach((code, idx) => {
    const share =
      idx === songyang.length - 1
        ? SONGYANG_TEA_STORES - assigned
        : Math.floor((SONGYANG_TEA_STORES * weights[idx]) / total);
    assigned += share;
    const random = rngFor(opts.seed, `tea:${code}`);
    for (let i = 1; i <= share; i++) {
      rows.push({
        id: `store-${code}-${i}`,
        name: `${code.slice(-3)}号茶叶网店${i}`,
        village_code: code,
        platform: pick(random, PLATFORMS),
        category: ProductCategory.TEA,
        provenance_kind: ProvenanceKind.SYNTHETIC,
        provenance_source: SYNTHETIC_SOURCE,
        provenance_as_of: '2021',
        provenance_note: `Store records are synthetic; their county total is calibrated to the reported figure of about 1,500 online tea stores in Songyang (${XINHUA_2021}).`,
      });
    }
  });
  await bulkUpsert(em, 'online_store', rows, ['id']);
  return { rows: { online_store: rows.length } };
}
