import type { Orm } from '../../shared/database.js';
import {
  isRuralVillageName,
  readDivisions,
  scopePrefix,
  villageShortName,
} from '../../shared/divisions.js';
import { ProvenanceKind, SYNTHETIC_SOURCE, XINHUA_2021 } from '../../shared/provenance.js';
import { SeedWriters, loadScope } from '../../shared/seed-load.js';
import type { SeedOptions, SeedResult } from '../../shared/subgraph.js';
import {
  ZHEJIANG_AUDITORIUM_COVERAGE,
  auditoriumCoverage,
  intBetween,
  pick,
  rngFor,
  type AuditoriumCoverage,
} from '../../shared/synthetic.js';
import { AuditoriumService, DIGITAL_HUB_SERVICES } from '../auditorium/auditorium.entity.js';
import { rebuildRollups } from '../rollup/rollup.rebuild.js';
import { eventRows, resourceLinks, usageRows, type SeededAuditorium } from './activity.js';
import { catalogueRows } from './catalogue.js';

/** Reported: 91.3 % of Zhejiang's rural villages had a culture auditorium at the end of 2020. */
export const ZHEJIANG_COVERAGE = ZHEJIANG_AUDITORIUM_COVERAGE;
/** Houcang village, Haishu district, Ningbo: the reported example of a digital-resource auditorium. */
export const HOUCANG = '330203009205';
/**
 * "Baoshanqiao village, Shaoxing", where the auditorium helps residents book doctor appointments
 * online. No unit of that name exists in the division data; 宝善桥村委会 (Bǎoshànqiáo, 柯桥区) is
 * the only Shaoxing village whose name romanises to it. The healthcare subgraph makes the same
 * match and refers to this auditorium as `aud-330603011258`.
 */
export const BAOSHANQIAO = '330603011258';

const OPTIONAL_SERVICES = Object.values(AuditoriumService).filter(
  (s) => s !== AuditoriumService.BOOK_LENDING,
);

const OPENING_HOURS = [
  'Tue-Sun 08:30-11:30, 13:30-20:30',
  'Daily 09:00-21:00',
  'Mon-Sat 08:00-17:00; evenings for events',
  'Wed-Mon 13:30-21:00',
];

function baoshanqiaoRow(v: Record<string, string>): Record<string, unknown> {
  return {
    ...houcangRow(v),
    services: JSON.stringify([
      AuditoriumService.BOOK_LENDING,
      AuditoriumService.ONLINE_PUBLIC_SERVICE_HELP,
      AuditoriumService.MEDICAL_APPOINTMENT_HELP,
    ]),
    provenance_note:
      'Reported for "Baoshanqiao village, Shaoxing": staff help residents book doctor ' +
      'appointments online. Matched to 宝善桥村委会 (330603011258, 柯桥区) by romanisation; the ' +
      'article gives no Chinese name or code. Other services, name, usage and events are ' +
      'derived or synthetic.',
  };
}

function houcangRow(v: Record<string, string>): Record<string, unknown> {
  return {
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
    opening_hours: null,
    floor_area: null,
    seats: null,
    year_opened: null,
    provenance_kind: ProvenanceKind.REPORTED,
    provenance_source: XINHUA_2021,
    provenance_as_of: '2021',
    provenance_note:
      'Reported: books, dialect learning and traditional-culture knowledge through digital ' +
      'resources. The name is derived from the village name; its usage and events are synthetic.',
  };
}

function syntheticRow(seed: number, v: Record<string, string>): Record<string, unknown> {
  const random = rngFor(seed, `auditorium:${v.code}`);
  const services = [
    AuditoriumService.BOOK_LENDING,
    ...OPTIONAL_SERVICES.filter(() => random() < 0.45),
  ];
  const floorArea = intBetween(random, 200, 1500);
  return {
    id: `aud-${v.code}`,
    name: `${villageShortName(v.name)}文化礼堂`,
    village_code: v.code,
    services: JSON.stringify(services),
    digital_service_hub: services.some((s) => DIGITAL_HUB_SERVICES.includes(s)),
    opening_hours: pick(random, OPENING_HOURS),
    floor_area: floorArea,
    seats: Math.max(60, Math.round((floorArea * intBetween(random, 20, 35)) / 100)),
    year_opened: intBetween(random, 2013, 2020),
    provenance_kind: ProvenanceKind.SYNTHETIC,
    provenance_source: SYNTHETIC_SOURCE,
    provenance_as_of: '2020-12-31',
    provenance_note: null,
  };
}

/** Conflict keys of the tables the seeder writes. */
const TABLE_KEYS: Record<string, string[]> = {
  digital_resource: ['id'],
  auditorium: ['id'],
  auditorium_resource: ['auditorium_id', 'resource_id'],
  auditorium_usage: ['auditorium_id', 'month'],
  auditorium_event: ['id'],
};

/**
 * Loads a scope in one transaction: removes the scope's synthetic rows (a different seed picks
 * other villages), writes auditoriums, resource links, 24 months of usage and events through the
 * shared bulk writers (streaming the scope's villages, one batch per table in memory), then
 * rebuilds the region rollups the scope touches.
 */
export async function seedCulture(orm: Orm, opts: SeedOptions): Promise<SeedResult> {
  const prefix = scopePrefix(opts.scope);
  // The same rule decides where healthcare's assistance points find an auditorium.
  const coverage = await auditoriumCoverage(opts.seed, prefix);
  return loadScope(orm, opts, {
    tables: TABLE_KEYS,
    clear: async (trx) => {
      const like = `${prefix}%`;
      await trx.raw('delete from auditorium_resource where village_code like ?', [like]);
      for (const table of ['auditorium_usage', 'auditorium_event', 'auditorium']) {
        await trx.raw(`delete from ${table} where village_code like ? and provenance_kind = ?`, [
          like,
          ProvenanceKind.SYNTHETIC,
        ]);
      }
    },
    write: (out, _kept, tick) => writeScope(out, opts.seed, prefix, coverage, tick),
    rebuild: (trx) => rebuildRollups(trx, prefix, coverage.zhejiangTarget),
  });
}

/** Streams the scope's rural villages, writing each covered one's auditorium and activity. */
async function writeScope(
  out: SeedWriters,
  seed: number,
  prefix: string,
  coverage: AuditoriumCoverage,
  tick: () => void,
): Promise<void> {
  await out.pushAll('digital_resource', catalogueRows(seed));
  for await (const v of readDivisions('villages', prefix)) {
    tick();
    if (!isRuralVillageName(v.name)) continue;
    if (!coverage.covers(v)) continue;
    const row =
      v.code === HOUCANG
        ? houcangRow(v)
        : v.code === BAOSHANQIAO
          ? baoshanqiaoRow(v)
          : syntheticRow(seed, v);
    await out.push('auditorium', row);
    const seeded: SeededAuditorium = {
      id: row.id as string,
      villageCode: v.code,
      villageName: villageShortName(v.name),
      services: JSON.parse(row.services as string) as AuditoriumService[],
      yearOpened: row.year_opened as number | null,
      seats: (row.seats as number | null) ?? 200,
    };
    await out.pushAll('auditorium_resource', resourceLinks(seed, seeded));
    await out.pushAll('auditorium_usage', usageRows(seed, seeded));
    await out.pushAll('auditorium_event', eventRows(seed, seeded));
  }
}
