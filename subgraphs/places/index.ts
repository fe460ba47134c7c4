import type { SubgraphDefinition } from '../shared/subgraph.js';
import { createPlacesContext, type PlacesContext } from './context.js';
import { migrations } from './migrations/index.js';
import { Region } from './region/region.entity.js';
import { warmVillageCodes } from './region/loaded-scopes.js';
import { buildPlacesSchema } from './schema.js';
import { seedPlaces } from './seed/places.seed.js';
import { Village } from './village/village.entity.js';
import { FeedWatch } from './changes/feed-watch.entity.js';
import { LoadedScope } from '../shared/loaded-scope.js';

/** The places subgraph: the administrative hierarchy of China down to each village. */
export const placesSubgraph: SubgraphDefinition<PlacesContext> = {
  name: 'places',
  // LoadedScope: the scopes loaded, which the domains compare with theirs (Region.loadedScopes).
  entities: [Region, Village, FeedWatch, LoadedScope],
  migrations,
  buildSchema: () => {
    warmVillageCodes(); // Region.loadedScopes checks its scopes against them
    return buildPlacesSchema();
  },
  createContext: (em, log, req, services) => createPlacesContext(em, log, req.requestId, services),
  seed: seedPlaces,
};
