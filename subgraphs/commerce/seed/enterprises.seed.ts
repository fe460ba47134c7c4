import { villageShortName } from '../../shared/divisions.js';
import { ProvenanceKind, SYNTHETIC_SOURCE, XINHUA_2021 } from '../../shared/provenance.js';
import { intBetween, pick, rngFor } from '../../shared/synthetic.js';
import { PARK_ENTERPRISES_SIZE } from '../park/park.entity.js';
import { SONGYANG } from '../rollup/rollup.rebuild.js';
import { ServicePointKind } from '../service-point/service-point.entity.js';
import { Platform, ProductCategory } from '../store/store.entity.js';
import { SEED_MONTHS, salesRow } from './sales.seed.js';
import type { Row, Village } from './stores.seed.js';

const SYNTHETIC = {
  provenance_kind: ProvenanceKind.SYNTHETIC,
  provenance_source: SYNTHETIC_SOURCE,
};

/** The reported enterprise (Xinhua 2021); its real name is not given by the source. */
export const HUANG_JIEFEI_ENTERPRISE = 'ent-331124-huang-jiefei';
const HJ_ONLINE_2020_FEN = 16_000_000_000n; // 160 million yuan
const HJ_FARMERS = 1_000; // "over 1,000": the reported lower bound
const HJ_NOTE =
  'The source does not give the enterprise\'s name; this descriptive name is the project\'s. Owner, county, tea industry and platforms ("e-commerce platforms such as Pinduoduo") as reported. The stores listed for it are synthetic records.';
const HJ_YEAR_NOTE =
  'Online sales revenue of 160 million yuan in 2020 as reported. Farmers connected: the source says "over 1,000"; 1,000 is the reported lower bound. Offline revenue and employees are not reported and left empty.';
const HJ_SALES_NOTE =
  "Synthetic monthly sales; the enterprise's 2020 total over its stores is calibrated to the reported 160 million yuan.";

export function huangJiefeiEnterprise(): { enterprise: Row; year: Row } {
  return {
    enterprise: {
      id: HUANG_JIEFEI_ENTERPRISE,
      name: 'Songyang tea enterprise of Huang Jiefei',
      owner_name: 'Huang Jiefei',
      county_code: SONGYANG,
      village_code: null,
      industry: ProductCategory.TEA,
      platforms: Platform.PINDUODUO,
      park_id: null,
      provenance_kind: ProvenanceKind.REPORTED,
      provenance_source: XINHUA_2021,
      provenance_as_of: '2020',
      provenance_note: HJ_NOTE,
    },
    year: {
      enterprise_id: HUANG_JIEFEI_ENTERPRISE,
      year: 2020,
      online_revenue_fen: HJ_ONLINE_2020_FEN.toString(),
      offline_revenue_fen: null,
      employees: null,
      farmers_connected: HJ_FARMERS,
      provenance_kind: ProvenanceKind.REPORTED,
      provenance_source: XINHUA_2021,
      provenance_as_of: '2020',
      provenance_note: HJ_YEAR_NOTE,
    },
  };
}

/**
 * Monthly sales of the enterprise's (synthetic) Pinduoduo stores: 2020 sums exactly to the
 * reported 160 million yuan by seeded weights; 2021 is synthetic growth on 2020.
 */
export function huangJiefeiSales(seed: number, storeIds: string[]): Row[] {
  const months2020 = SEED_MONTHS.filter((m) => m.startsWith('2020'));
  const cells = storeIds.flatMap((id) => months2020.map((month) => ({ id, month })));
  const random = rngFor(seed, 'sales:huang-jiefei');
  const weights = cells.map((c) => {
    const m = Number(c.month.slice(5));
    return BigInt(intBetween(random, 80, 120) * (m >= 3 && m <= 5 ? 2 : 1));
  });
  const total = weights.reduce((a, b) => a + b, 0n);
  const rows: Row[] = [];
  let given = 0n;
  cells.forEach((c, i) => {
    const fen =
      i === cells.length - 1
        ? HJ_ONLINE_2020_FEN - given
        : (HJ_ONLINE_2020_FEN * weights[i]) / total;
    given += fen;
    rows.push(salesRow(c.id, c.month, Number(fen / 12_000n), fen, HJ_SALES_NOTE));
    const later = (fen * BigInt(intBetween(random, 105, 125))) / 100n;
    const month2021 = `2021${c.month.slice(4)}`;
    rows.push(salesRow(c.id, month2021, Number(later / 12_000n), later, HJ_SALES_NOTE));
  });
  return rows;
}

/** About one village in five with two or more stores has an enterprise running some of them. */
export function villageEnterprise(seed: number, v: Village, stores: Row[]): Row | null {
  const random = rngFor(seed, `enterprise:${v.code}`);
  if (stores.length < 2 || random() >= 0.2) return null;
  const run = stores.slice(-intBetween(random, 1, Math.min(3, stores.length)));
  const industry = run[0].category as string;
  const name = `${villageShortName(v.name)}${industry === 'TEA' ? '茶业' : '农特产品'}电子商务有限公司`;
  const id = `ent-${v.code}`;
  for (const s of run) s.enterprise_id = id;
  return {
    id,
    name,
    owner_name: null,
    county_code: v.areaCode,
    village_code: v.code,
    industry,
    platforms: [...new Set(run.map((s) => s.platform as string))].sort().join(','),
    park_id: null,
    ...SYNTHETIC,
    provenance_as_of: '2021',
    provenance_note: null,
  };
}

/** Yearly figures of a synthetic enterprise: online revenue is the sum of its stores' sales. */
export function enterpriseYears(
  seed: number,
  e: Row,
  totals: Map<string, bigint>,
  stores: Row[],
): Row[] {
  const random = rngFor(seed, `enterprise-years:${String(e.id)}`);
  const run = stores.filter((s) => s.enterprise_id === e.id);
  return [2020, 2021].map((year) => {
    const online = run.reduce((a, s) => a + (totals.get(`${String(s.id)}|${year}`) ?? 0n), 0n);
    const farming = ['TEA', 'FRUIT', 'VEGETABLES'].includes(e.industry as string);
    return {
      enterprise_id: e.id,
      year,
      online_revenue_fen: online.toString(),
      offline_revenue_fen: ((online * BigInt(intBetween(random, 20, 120))) / 100n).toString(),
      employees: run.reduce((a, s) => a + (s.jobs as number), 0) + intBetween(random, 2, 20),
      farmers_connected: farming ? intBetween(random, 10, 200) : intBetween(random, 0, 30),
      ...SYNTHETIC,
      provenance_as_of: String(year),
      provenance_note: "Online revenue is the sum of its synthetic stores' monthly sales.",
    };
  });
}

/** Parks of a county: Songyang's were reported "built" without a count, so 2 synthetic ones. */
export function countyParks(seed: number, county: string): Row[] {
  const random = rngFor(seed, `parks:${county}`);
  const count = county === SONGYANG ? 2 : random() < 0.35 ? 1 : 0;
  const note =
    county === SONGYANG
      ? `Songyang's e-commerce industrial parks are reported as built (${XINHUA_2021}) without a count or names; these park records and their number are synthetic.`
      : null;
  return Array.from({ length: count }, (_, i) => ({
    id: `park-${county}-${i + 1}`,
    name: `${county}电子商务产业园${i + 1}号园区`,
    county_code: county,
    jobs: intBetween(random, 80, 900),
    ...SYNTHETIC,
    provenance_as_of: '2021',
    provenance_note: note,
  }));
}

/**
 * Hosts a synthetic enterprise in one of its county's parks, half of the time, unless that park
 * already hosts PARK_ENTERPRISES_SIZE (`hosted`: enterprises per park id so far in this load).
 */
export function assignPark(seed: number, e: Row, parks: Row[], hosted: Map<string, number>): void {
  const random = rngFor(seed, `park-of:${String(e.id)}`);
  if (parks.length === 0 || random() >= 0.5) return;
  const park = pick(random, parks).id as string;
  const held = hosted.get(park) ?? 0;
  if (held >= PARK_ENTERPRISES_SIZE) return;
  hosted.set(park, held + 1);
  e.park_id = park;
}

/** Service points: more in Songyang, where online selling is dense. */
export function villageServicePoints(seed: number, v: Village): Row[] {
  const random = rngFor(seed, `service-points:${v.code}`);
  const chance = v.areaCode === SONGYANG ? 0.7 : 0.35;
  if (random() >= chance) return [];
  const kinds = Object.values(ServicePointKind);
  const count = intBetween(random, 1, 2);
  const label = { LOGISTICS: '物流站', EXPRESS_PICKUP: '快递服务点', TRAINING: '电商培训站' };
  return Array.from({ length: count }, (_, i) => {
    const kind = kinds[(Math.floor(random() * kinds.length) + i) % kinds.length];
    return {
      id: `sp-${v.code}-${i + 1}`,
      name: `${villageShortName(v.name)}${label[kind]}`,
      village_code: v.code,
      kind,
      ...SYNTHETIC,
      provenance_as_of: '2021',
      provenance_note: null,
    };
  });
}
