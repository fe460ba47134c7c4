import { runSubgraph } from '../shared/bootstrap.js';
import { loadSubgraphConfig } from '../shared/config.js';
import { commerceSubgraph } from './index.js';

await runSubgraph(commerceSubgraph, loadSubgraphConfig('commerce'));
