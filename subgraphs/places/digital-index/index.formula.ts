import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Provenance, ProvenanceKind, provenance } from '../../shared/provenance.js';
import { INDEX_YEAR as SHARED_INDEX_YEAR } from '../../shared/index-components.js';
import { INDEX_DOMAINS, type IndexInputs } from './index.externals.js';

@ObjectType({
  description:
    'The six components of the digital-village index, each a value from 0 to 1 (or, under ' +
    '`weights`, the weight of that component; the weights sum to 1).',
})
export class DigitalIndexComponents {
  @Field(() => Float, { description: 'Culture: rural villages served by an auditorium.' })
  cultureCoverage!: number;

  @Field(() => Float, { description: 'Culture: monthly visits per auditorium vs 600.' })
  cultureUsage!: number;

  @Field(() => Float, {
    description: 'Healthcare: rural villages with a clinic within 30 minutes.',
  })
  clinicAccess!: number;

  @Field(() => Float, {
    description: 'Healthcare: assisted bookings per rural village and month vs 30.',
  })
  assistedBookings!: number;

  @Field(() => Float, { description: 'Commerce: active online stores per rural village vs 2.' })
  onlineStores!: number;

  @Field(() => Float, {
    description: 'Commerce: online revenue per rural village in the year vs 1,000,000 yuan.',
  })
  onlineRevenue!: number;
}

type Components = Omit<DigitalIndexComponents, never>;

/** The documented weights (README: "Digital-village index"); they sum to 1. */
export const INDEX_WEIGHTS: Components = {
  cultureCoverage: 0.2,
  cultureUsage: 0.15,
  clinicAccess: 0.2,
  assistedBookings: 0.15,
  onlineStores: 0.15,
  onlineRevenue: 0.15,
};

/** The year of the usage, booking and revenue figures every domain's components refer to (shared). */
export const INDEX_YEAR = SHARED_INDEX_YEAR.year;

export const INDEX_SOURCE =
  'Digital-village index of the places subgraph (formula and weights in README.md), computed ' +
  'from the components published by the culture, healthcare and commerce subgraphs';

@ObjectType({
  description:
    'The digital-village index: a composite score from 0 to 100 of culture, healthcare and ' +
    'commerce services, with its components and weights (formula in README.md).',
})
export class DigitalVillageIndex {
  @Field(() => ID, { description: 'Code of the village or region scored.' })
  code!: string;

  @Field(() => Int, { description: 'Reference year of the usage, booking and revenue figures.' })
  year!: number;

  @Field(() => Float, {
    description: 'round(100 × Σ weight × component, 1): from 0 to 100, one decimal.',
  })
  score!: number;

  @Field(() => DigitalIndexComponents, {
    description: 'The components (0 to 1) as published by the owning subgraphs.',
  })
  components!: DigitalIndexComponents;

  @Field(() => DigitalIndexComponents, { description: 'The weight of each component.' })
  weights!: DigitalIndexComponents;

  @Field(() => Provenance, {
    description: 'SYNTHETIC when any input is synthetic; the note names the inputs.',
  })
  provenance!: Provenance;
}

const ORDER = Object.keys(INDEX_WEIGHTS) as (keyof Components)[];

/**
 * The domains whose input is missing from a representation: they did not answer (a domain
 * that holds no figures still answers, with `hasFigures: false`). The index of such a place is
 * unknown, not lower.
 */
export function unanswered(inputs: IndexInputs | null | undefined): string[] {
  return Object.entries(INDEX_DOMAINS).flatMap(([domain, key]) => (inputs?.[key] ? [] : [domain]));
}

/**
 * The index of one village or region: a pure function of the components the domain
 * subgraphs published (all three answered, see `unanswered`). A domain without figures for
 * the place counts as 0 and is noted.
 */
export function digitalIndex(code: string, inputs: IndexInputs): DigitalVillageIndex {
  const domains = {
    culture: inputs.cultureIndexInput,
    healthcare: inputs.healthcareIndexInput,
    commerce: inputs.commerceIndexInput,
  };
  const c = domains.culture?.hasFigures ? domains.culture : undefined;
  const h = domains.healthcare?.hasFigures ? domains.healthcare : undefined;
  const m = domains.commerce?.hasFigures ? domains.commerce : undefined;
  const components: Components = {
    cultureCoverage: c?.coverage ?? 0,
    cultureUsage: c?.usage ?? 0,
    clinicAccess: h?.clinicAccess ?? 0,
    assistedBookings: h?.assistedBookings ?? 0,
    onlineStores: m?.stores ?? 0,
    onlineRevenue: m?.onlineRevenue ?? 0,
  };
  // In millionths, an exact integer: components are published with 4 decimals and weights have
  // 2. The sum of doubles lost exact halves (0.6185 was 0.61849999…: 61.8 where 61.9 is right).
  const millionths = ORDER.reduce(
    (acc, k) => acc + Math.round(INDEX_WEIGHTS[k] * 100) * Math.round(components[k] * 10_000),
    0,
  );
  const counted = { culture: c, healthcare: h, commerce: m };
  const missing = Object.entries(counted).flatMap(([name, v]) => (v ? [] : [name]));
  const synthetic = Object.entries(counted).flatMap(([name, v]) =>
    v?.provenance.kind === ProvenanceKind.SYNTHETIC ? [name] : [],
  );
  const notes = [
    synthetic.length > 0
      ? `Synthetic: the ${synthetic.join(', ')} components are computed from synthetic demo data.`
      : null,
    missing.length > 0 ? `No figures from ${missing.join(', ')}: counted as 0.` : null,
  ].filter(Boolean);
  return Object.assign(new DigitalVillageIndex(), {
    code,
    year: INDEX_YEAR,
    score: Math.round(millionths / 1000) / 10,
    components: Object.assign(new DigitalIndexComponents(), components),
    weights: Object.assign(new DigitalIndexComponents(), INDEX_WEIGHTS),
    provenance: provenance(
      synthetic.length > 0 ? ProvenanceKind.SYNTHETIC : ProvenanceKind.REPORTED,
      INDEX_SOURCE,
      String(INDEX_YEAR),
      notes.length > 0 ? notes.join(' ') : 'Computed from reported figures only.',
    ),
  });
}

/**
 * Whether a place can be scored at all: it has rural villages and at least one domain has
 * figures for it. Otherwise its index is null (not 0, which would read as the worst score) and
 * rankings leave it out.
 */
export function scorable(inputs: IndexInputs | undefined, ruralVillageCount = 1): boolean {
  if (ruralVillageCount === 0 || !inputs) return false;
  return Object.values(INDEX_DOMAINS).some((key) => inputs[key]?.hasFigures === true);
}

/** Highest score first; ties by code. */
export function byScore(a: DigitalVillageIndex, b: DigitalVillageIndex): number {
  return b.score - a.score || a.code.localeCompare(b.code);
}
