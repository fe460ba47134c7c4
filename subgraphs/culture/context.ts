import { domainContextFactory } from '../shared/request-context.js';
import { createAuditoriumLoaders } from './auditorium/auditorium.loaders.js';
import { createResourceLoaders } from './resource/digital-resource.loaders.js';
import { createRegionLoaders } from './rollup/rollup.loaders.js';

/** Culture's request context: the shared one (subgraphs/shared/request-context.ts) and its loaders. */
export const createCultureContext = domainContextFactory((em) => ({
  ...createAuditoriumLoaders(em),
  ...createResourceLoaders(em),
  ...createRegionLoaders(em),
}));

export type CultureContext = ReturnType<typeof createCultureContext>;
