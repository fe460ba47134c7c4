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
import { hash32, intBetween, rngFor } from '../../shared/synthetic.js';
import { AuditoriumService, DIGITAL_HUB_SERVICES } from '../auditorium/auditorium.entity.js';

/** Reported: 91.3 % of Zhejiang's rural villages had a culture auditorium at the end of 2020. */
export const ZHEJIANG_COVERAGE = 0.913;
/** Houcang village, Haishu district, Ningbo: the reported example of a digital-resource auditorium. */
export const HOUCANG = '330203009205';

const OPTIONAL_SERVICES = Object.values(AuditoriumService).filter(
  (s) => s !== AuditoriumService.BOOK_LENDING,
);

/**
 * Which Zhejiang rural villages have an auditorium: Houcang, plus the villages with the lowest
 * hash under this seed, so that exactly round(91.3 % of all rural villages) are covered whatever
 * part of the province is loaded.
 */
async function zhejiangThreshold(seed: number): Promise<number> {
  const hashes: number[] = [];
  let rural = 0;
  for await (const v of readDivisions('villages')) {
    if (v.provinceCode !== '33' || !isRuralVillageName(v.name)) continue;
    rural++;
    if (v.code !== HOUCANG) hashes.push(hash32(`${seed}:auditorium:${v.code}`));
  }
  hashes.sort((a, b) => a - b);
  const target = Math.round(rural * ZHEJIANG_COVERAGE);
  return hashes[target - 2]; // target - 1 villages besides Houcang
}

/** Elsewhere coverage is synthetic: a per-province share between 55 % and 90 %. */
function provinceCoverage(seed: number, provinceCode: string): number {
  return 0.55 + 0.35 * rngFor(seed, `coverage:${provinceCode}`)();
}

export async function seedCulture(orm: Orm, opts: SeedOptions): Promise<SeedResult> {
  const em = orm.em.fork() as EntityManager;
  const prefix = scopePrefix(opts.scope);
  const threshold =
    '33'.startsWith(prefix) || prefix.startsWith('33') ? await zhejiangThreshold(opts.seed) : 0;
  const rows: Record<string, unknown>[] = [];
  for await (const v of readDivisions('villages')) {
    if (!v.code.startsWith(prefix) || !isRuralVillageName(v.name)) continue;
    const h = hash32(`${opts.seed}:auditorium:${v.code}`);
    const covered =
      v.code === HOUCANG ||
      (v.provinceCode === '33'
        ? h <= threshold
        : h / 2 ** 32 < provinceCoverage(opts.seed, v.provinceCode));
    if (!covered) continue;
    if (v.code === HOUCANG) {
      rows.push({
        id: `aud-${v.code}`,
        name: `${villageShortName(v.name)}文化礼堂`,
        village_code: v.code,
        services: JSON.stringify([
          AuditoriumService.BOOK_LENDING,
          AuditoriumService.DIALECT_LEARNING,
          AuditoriumService.TRADITIONAL_CULTURE_COURSES,
          AuditoriumService.DIGITAL_LIBRARY_TERMINAL,
        ]),
        digital_service_hub: true,
        year_opened: null,
        provenance_kind: ProvenanceKind.REPORTED,
        provenance_source: XINHUA_2021,
        provenance_as_of: '2021',
        provenance_note:
          'Reported: books, dialect learning and traditional-culture knowledge through digital resources. The name is derived from the village name.',
      });
      continue;
    }
    const random = rngFor(opts.seed, `auditorium:${v.code}`);
    const services = [
      AuditoriumService.BOOK_LENDING,
      ...OPTIONAL_SERVICES.filter(() => random() < 0.45),
    ];
    rows.push({
      id: `aud-${v.code}`,
      name: `${villageShortName(v.name)}文化礼堂`,
      village_code: v.code,
      services: JSON.stringify(services),
      digital_service_hub: services.some((s) => DIGITAL_HUB_SERVICES.includes(s)),
      year_opened: intBetween(random, 2013, 2020),
      provenance_kind: ProvenanceKind.SYNTHETIC,
      provenance_source: SYNTHETIC_SOURCE,
      provenance_as_of: '2020-12-31',
      provenance_note: null,
    });
  }
  await bulkUpsert(em, 'auditorium', rows, ['id']);
  return { rows: { auditorium: rows.length } };
}
