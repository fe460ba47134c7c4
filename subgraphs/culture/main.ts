import { runSubgraph } from '../shared/bootstrap.js';
import { loadSubgraphConfig } from '../shared/config.js';
import { cultureSubgraph } from './index.js';

await runSubgraph(cultureSubgraph, loadSubgraphConfig('culture'));
