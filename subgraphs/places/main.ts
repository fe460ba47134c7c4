import { runSubgraph } from '../shared/bootstrap.js';
import { loadSubgraphConfig } from '../shared/config.js';
import { placesSubgraph } from './index.js';

await runSubgraph(placesSubgraph, loadSubgraphConfig('places'));
