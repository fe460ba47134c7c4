import { villageShortName } from '../../shared/divisions.js';
import { ProvenanceKind, SYNTHETIC_SOURCE, XINHUA_2021 } from '../../shared/provenance.js';
import { hash32, intBetween, pick, rngFor } from '../../shared/synthetic.js';
import { SONGYANG_JOBS, SONGYANG_TEA_STORES } from '../rollup/rollup.rebuild.js';
import { Platform, ProductCategory, StoreStatus } from '../store/store.entity.js';

export type Row = Record<string, unknown>;
export interface Village {
  code: string;
  name: string;
  areaCode: string;
}

const PLATFORMS = Object.values(Platform);
const OTHER_CATEGORIES = Object.values(ProductCategory).filter((c) => c !== ProductCategory.TEA);
export const SONGYANG_STORE_NOTE = `Store records are synthetic; their county totals are calibrated to the reported figures of about 1,500 online tea stores and over 7,000 jobs in Songyang (${XINHUA_2021}).`;

function openedOn(random: () => number, fromYear: number, toYear: number, maxMonth = 12) {
  const year = intBetween(random, fromYear, toYear);
  const month = intBetween(random, 1, year === toYear ? maxMonth : 12);
  const day = intBetween(random, 1, 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function storeRow(fields: Row, note: string | null): Row {
  return {
    enterprise_id: null,
    provenance_kind: ProvenanceKind.SYNTHETIC,
    provenance_source: SYNTHETIC_SOURCE,
    provenance_as_of: '2021-12-31',
    provenance_note: note,
    ...fields,
  };
}

/** 0-3 synthetic stores for about 30% of the rural villages outside Songyang. */
export function villageStores(seed: number, v: Village): Row[] {
  const random = rngFor(seed, `stores:${v.code}`);
  const count = random() < 0.3 ? 1 + Math.floor(random() * 3) : 0;
  const rows: Row[] = [];
  for (let i = 1; i <= count; i++) {
    const roll = random();
    rows.push(
      storeRow(
        {
          id: `store-${v.code}-${i}`,
          name: `${villageShortName(v.name)}网店${i}`,
          village_code: v.code,
          platform: pick(random, PLATFORMS),
          category: pick(random, OTHER_CATEGORIES),
          opened_on: openedOn(random, 2015, 2021, 6),
          status: roll < 0.08 ? StoreStatus.CLOSED : roll < 0.11 ? StoreStatus.SUSPENDED : 'ACTIVE',
          jobs: intBetween(random, 1, 6),
        },
        null,
      ),
    );
  }
  return rows;
}

/**
 * Songyang's reported totals spread over all its rural villages (sorted by code) by seeded
 * weights: exactly 1,500 active tea stores and exactly 7,000 jobs (2 per store plus 4,000
 * shared out by weight, the remainder to the first stores).
 */
export function songyangStores(seed: number, villages: string[]): Row[] {
  if (villages.length === 0) return [];
  const weights = villages.map((code) => 1 + (hash32(`${seed}:tea:${code}`) % 9));
  const total = weights.reduce((a, b) => a + b, 0);
  const rows: Row[] = [];
  let assigned = 0;
  villages.forEach((code, idx) => {
    const share =
      idx === villages.length - 1
        ? SONGYANG_TEA_STORES - assigned
        : Math.floor((SONGYANG_TEA_STORES * weights[idx]) / total);
    assigned += share;
    const random = rngFor(seed, `tea:${code}`);
    for (let i = 1; i <= share; i++) {
      rows.push(
        storeRow(
          {
            id: `store-${code}-${i}`,
            name: `${code.slice(-3)}号茶叶网店${i}`,
            village_code: code,
            platform: pick(random, PLATFORMS),
            category: ProductCategory.TEA,
            opened_on: openedOn(random, 2014, 2019),
            status: StoreStatus.ACTIVE,
            jobs: 0,
          },
          SONGYANG_STORE_NOTE,
        ),
      );
    }
  });
  const jobWeights = rows.map((r) => 1 + (hash32(`${seed}:jobs:${String(r.id)}`) % 9));
  const jobTotal = jobWeights.reduce((a, b) => a + b, 0);
  const extra = SONGYANG_JOBS - 2 * rows.length;
  let given = 0;
  rows.forEach((r, i) => {
    const share = Math.floor((extra * jobWeights[i]) / jobTotal);
    r.jobs = 2 + share;
    given += share;
  });
  for (let i = 0; given < extra; i++, given++) (rows[i].jobs as number)++;
  return rows;
}
