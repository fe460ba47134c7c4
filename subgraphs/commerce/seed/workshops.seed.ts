import { villageShortName } from '../../shared/divisions.js';
import { ProvenanceKind, SYNTHETIC_SOURCE, XINHUA_2021 } from '../../shared/provenance.js';
import { intBetween, rngFor } from '../../shared/synthetic.js';
import { ProductCategory } from '../store/store.entity.js';
import type { Row, Village } from './stores.seed.js';

/** Jingning She autonomous county, Lishui: reported to have tea-leaf processing workshops. */
export const JINGNING = '331127';
/** Share of Jingning's rural villages given a workshop record, and the most per village. */
export const WORKSHOP_VILLAGE_SHARE = 0.25;

export const WORKSHOP_NOTE =
  `Tea-leaf processing workshops in Jingning She autonomous county are reported to exist ` +
  `(${XINHUA_2021}) without a count, names or places; these records, their number and their ` +
  `names are synthetic.`;

/**
 * Synthetic tea-leaf processing workshops: one or two in about a quarter of Jingning's rural
 * villages. Nowhere else, since no source reports any (a region without records shows 0 with
 * a note saying workshops are only modelled where reported).
 */
export function villageWorkshops(seed: number, v: Village): Row[] {
  if (v.areaCode !== JINGNING) return [];
  const random = rngFor(seed, `workshops:${v.code}`);
  if (random() >= WORKSHOP_VILLAGE_SHARE) return [];
  return Array.from({ length: intBetween(random, 1, 2) }, (_, i) => ({
    id: `workshop-${v.code}-${i + 1}`,
    name: `${villageShortName(v.name)}茶叶加工坊${i === 0 ? '' : i + 1}`,
    county_code: v.areaCode,
    village_code: v.code,
    product: ProductCategory.TEA,
    provenance_kind: ProvenanceKind.SYNTHETIC,
    provenance_source: SYNTHETIC_SOURCE,
    provenance_as_of: '2021',
    provenance_note: WORKSHOP_NOTE,
  }));
}
