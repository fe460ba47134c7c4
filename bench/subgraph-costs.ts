import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * The subgraph-vs-SQL measurement (subgraph-sql.ts) as a section of `npm run bench`: run as a
 * child process with `NODE_ENV=production`, as the subgraphs themselves run (graphql-js checks
 * more in development), on SQLite; returns its tables with the load averages it printed.
 */
export async function subgraphCostsSection(requests: number): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  delete env.TEST_POSTGRES_URL;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['dist/bench/subgraph-sql.js', '--requests', String(requests)],
    { env, maxBuffer: 16 * 1024 * 1024 },
  );
  return [
    '## Subgraphs against their SQL',
    '',
    'Per subgraph, the fetches of one profile and of a page of 20 (`_entities` of 1 and of 20 ' +
      'villages) timed whole through HTTP against its SQL statements alone, prepared, in the same process; the HTTP ' +
      'floor is the same exchange with a server that only reads the request and answers the same ' +
      'bytes (`npm run bench:subgraphs`, bench/README.md).',
    '',
    stdout.trim(),
    '',
  ].join('\n');
}
