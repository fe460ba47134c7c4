import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import { HAS_FIGURES_DESCRIPTION } from '../../shared/schema.js';

/*
 * The parts of the domain subgraphs' views that the index fields `@requires`. They are owned
 * (and resolved) by culture, healthcare and commerce; places only declares them `@external` so
 * that the gateway sends their values along with the region or village representation. Only
 * the fields the formula reads are declared; nullability matches the owners'. Each domain
 * answers its input for every place (zeros with `hasFigures: false` where it has no figures),
 * so an input missing from a representation means the domain did not answer.
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

  @Field({ description: HAS_FIGURES_DESCRIPTION })
  hasFigures!: boolean;

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

  @Field({ description: HAS_FIGURES_DESCRIPTION })
  hasFigures!: boolean;

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

  @Field({ description: HAS_FIGURES_DESCRIPTION })
  hasFigures!: boolean;

  @Field(() => Float, { description: 'Online stores, 0 to 1.' })
  stores!: number;

  @Field(() => Float, { description: 'Online revenue, 0 to 1.' })
  onlineRevenue!: number;

  @Field(() => Provenance, { description: 'Where the components come from.' })
  provenance!: Provenance;
}

/** What the gateway sends for one region or village: each domain's input, when it answered. */
export interface IndexInputs {
  cultureIndexInput?: CultureInputs | null;
  healthcareIndexInput?: HealthcareInputs | null;
  commerceIndexInput?: CommerceInputs | null;
}

/** The domains the index reads, by the key of their input in a representation. */
export const INDEX_DOMAINS = {
  culture: 'cultureIndexInput',
  healthcare: 'healthcareIndexInput',
  commerce: 'commerceIndexInput',
} as const satisfies Record<string, keyof IndexInputs>;

const COMMON = 'code hasFigures provenance { kind }';
/** The selection every index field requires of a region or village. */
export const INDEX_INPUTS =
  `cultureIndexInput { ${COMMON} coverage usage } ` +
  `healthcareIndexInput { ${COMMON} clinicAccess assistedBookings } ` +
  `commerceIndexInput { ${COMMON} stores onlineRevenue }`;
