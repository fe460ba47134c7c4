import { commerceSubgraph } from '../subgraphs/commerce/index.js';
import { cultureSubgraph } from '../subgraphs/culture/index.js';
import { healthcareSubgraph } from '../subgraphs/healthcare/index.js';
import { placesSubgraph } from '../subgraphs/places/index.js';
import type { SubgraphDefinition } from '../subgraphs/shared/subgraph.js';

/** Every subgraph, in the order they are composed, seeded and started. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const SUBGRAPHS: SubgraphDefinition<any>[] = [
  placesSubgraph,
  cultureSubgraph,
  healthcareSubgraph,
  commerceSubgraph,
];
