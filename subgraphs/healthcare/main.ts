import { runSubgraph } from '../shared/bootstrap.js';
import { loadSubgraphConfig } from '../shared/config.js';
import { healthcareSubgraph } from './index.js';

await runSubgraph(healthcareSubgraph, loadSubgraphConfig('healthcare'));
