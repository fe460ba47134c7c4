import { CommerceInputs, CultureInputs, HealthcareInputs } from './index.externals.generated.js';
import { INDEX_SOURCES, type IndexDomain } from './index.inputs.js';

/*
 * The parts of the domain subgraphs' views that the index fields `@requires`. They are owned
 * (and resolved) by culture, healthcare and commerce; places only declares them `@external`
 * (index.externals.generated.ts, generated from the owners' SDL) so that the gateway sends their
 * values along with the region or village representation. Each domain answers its input for
 * every place (zeros with `hasFigures: false` where it has no figures), so an input missing
 * from a representation means the domain did not answer.
 */
export { CommerceInputs, CultureInputs, HealthcareInputs };
export { INDEX_INPUTS } from './index.inputs.js';

/** What the gateway sends for one region or village: each domain's input, when it answered. */
export interface IndexInputs {
  cultureIndexInput?: CultureInputs | null;
  healthcareIndexInput?: HealthcareInputs | null;
  commerceIndexInput?: CommerceInputs | null;
}

/** The domains the index reads, by the key of their input in a representation. */
export const INDEX_DOMAINS = Object.fromEntries(
  Object.entries(INDEX_SOURCES).map(([domain, source]) => [domain, source.input]),
) as { [D in IndexDomain]: (typeof INDEX_SOURCES)[D]['input'] } satisfies Record<
  IndexDomain,
  keyof IndexInputs
>;
