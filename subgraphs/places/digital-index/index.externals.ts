import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';

/*
 * The parts of the domain subgraphs' views that the index fields `@requires`. They are owned
 * (and resolved) by culture, healthcare and commerce; places only declares them `@external` so
 * that the gateway sends their values along with the region or village representation. Only
 * the fields the formula reads are declared; nullability matches the owners'.
 */

@Directive('@external')
@ObjectType('CultureIndexComponents', {
  description:
    "Culture's normalised components of the digital-village index for a village or region " +
    '(0 to 1, rounded to 4 decimals), computed from its own data for the reference year.',
})
export class CultureInputs {
  @Field(() => ID, { description: 'Code of the village or region.' })
  code!: string;

  @Field(() => Float, { description: 'Auditorium coverage, 0 to 1.' })
  coverage!: number;

  @Field(() => Float, { description: 'Auditorium usage, 0 to 1.' })
  usage!: number;

  @Field(() => Provenance, { description: 'Where the components come from.' })
  provenance!: Provenance;
}

@Directive('@external')
@ObjectType('HealthcareIndexComponents', {
  description:
    "Healthcare's normalised components of the digital-village index for a village or region " +
    '(0 to 1, rounded to 4 decimals), computed from its own data for the reference year.',
})
export class HealthcareInputs {
  @Field(() => ID, { description: 'Code of the village or region.' })
  code!: string;

  @Field(() => Float, { description: 'Clinic within 30 minutes, 0 to 1.' })
  clinicAccess!: number;

  @Field(() => Float, { description: 'Assisted bookings, 0 to 1.' })
  assistedBookings!: number;

  @Field(() => Provenance, { description: 'Where the components come from.' })
  provenance!: Provenance;
}

@Directive('@external')
@ObjectType('CommerceIndexComponents', {
  description:
    "Commerce's normalised components of the digital-village index for a village or region " +
    '(0 to 1, rounded to 4 decimals), computed from its own data for the reference year.',
})
export class CommerceInputs {
  @Field(() => ID, { description: 'Code of the village or region.' })
  code!: string;

  @Field(() => Float, { description: 'Online stores, 0 to 1.' })
  stores!: number;

  @Field(() => Float, { description: 'Online revenue, 0 to 1.' })
  onlineRevenue!: number;

  @Field(() => Provenance, { description: 'Where the components come from.' })
  provenance!: Provenance;
}

// Type descriptions as the owners write them (composition hints at any difference).
function view<T>(name: string, inputs: () => new () => T, owner: string, description: string) {
  @Directive('@external')
  @ObjectType(name, { description })
  class View {
    @Field(inputs, { description: `${owner}'s components of the digital-village index.` })
    indexComponents!: T;
  }
  return View;
}

export const RegionCultureView = view(
  'RegionCulture',
  () => CultureInputs,
  'culture',
  "The culture subgraph's figures for a region, read from precomputed rollups.",
);
export const VillageCultureView = view(
  'VillageCulture',
  () => CultureInputs,
  'culture',
  "The culture subgraph's view of a village.",
);
export const RegionHealthcareView = view(
  'RegionHealthcare',
  () => HealthcareInputs,
  'healthcare',
  "The healthcare-access subgraph's figures for a region, all read from precomputed rollups.",
);
export const VillageHealthcareView = view(
  'VillageHealthcare',
  () => HealthcareInputs,
  'healthcare',
  "The healthcare-access subgraph's view of a village.",
);
export const RegionCommerceView = view(
  'RegionCommerce',
  () => CommerceInputs,
  'commerce',
  "The commerce subgraph's figures for a region, from rollup tables.",
);
export const VillageCommerceView = view(
  'VillageCommerce',
  () => CommerceInputs,
  'commerce',
  "The commerce subgraph's view of a village.",
);

/** What the gateway sends for one region or village: each domain's view, or null. */
export interface IndexInputs {
  culture?: { indexComponents: CultureInputs } | null;
  healthcare?: { indexComponents: HealthcareInputs } | null;
  commerce?: { indexComponents: CommerceInputs } | null;
}

const COMPONENTS = 'indexComponents { code';
/** The selection every index field requires of a region or village. */
export const INDEX_INPUTS =
  `culture { ${COMPONENTS} coverage usage provenance { kind } } } ` +
  `healthcare { ${COMPONENTS} clinicAccess assistedBookings provenance { kind } } } ` +
  `commerce { ${COMPONENTS} stores onlineRevenue provenance { kind } } }`;
