import { postGraphQL } from './processes.js';
import type { Operation } from './workloads.js';

/**
 * Exact SQL statement and GraphQL request counts per operation, read from each subgraph's
 * opt-in `GET /debug/sql-count` (SQL_STATEMENT_COUNTER=1). Nothing else may talk to the
 * subgraphs while a probe runs.
 */
export interface Counts {
  statements: number;
  requests: number;
}

export interface SubgraphEndpoint {
  name: string;
  origin: string;
}

async function readCounts(subgraphs: SubgraphEndpoint[]): Promise<Map<string, Counts> | undefined> {
  const out = new Map<string, Counts>();
  for (const s of subgraphs) {
    const res = await fetch(`${s.origin}/debug/sql-count`);
    if (res.status !== 200) return undefined;
    out.set(s.name, (await res.json()) as Counts);
  }
  return out;
}

export async function counterAvailable(subgraphs: SubgraphEndpoint[]): Promise<boolean> {
  return (await readCounts(subgraphs)) !== undefined;
}

/** Per subgraph: [min, max] over the repetitions (equal when the count is stable). */
export type ProbeResult = Map<string, { statements: [number, number]; requests: [number, number] }>;

export async function probe(
  url: string,
  op: Operation,
  subgraphs: SubgraphEndpoint[],
  repetitions = 3,
): Promise<ProbeResult | { error: string }> {
  // One unmeasured call first: plan caches and lazy initialisation are not the point here.
  const warm = await postGraphQL(url, op.query, op.variables, op.headers);
  if (warm.status !== 200 || warm.body.errors)
    return { error: JSON.stringify(warm.body.errors ?? warm.status).slice(0, 300) };
  const result: ProbeResult = new Map();
  for (let i = 0; i < repetitions; i++) {
    const before = await readCounts(subgraphs);
    await postGraphQL(url, op.query, op.variables, op.headers);
    const after = await readCounts(subgraphs);
    if (!before || !after) return { error: 'GET /debug/sql-count not available' };
    for (const s of subgraphs) {
      const st = after.get(s.name)!.statements - before.get(s.name)!.statements;
      const rq = after.get(s.name)!.requests - before.get(s.name)!.requests;
      const cur = result.get(s.name);
      if (!cur) result.set(s.name, { statements: [st, st], requests: [rq, rq] });
      else {
        cur.statements = [Math.min(cur.statements[0], st), Math.max(cur.statements[1], st)];
        cur.requests = [Math.min(cur.requests[0], rq), Math.max(cur.requests[1], rq)];
      }
    }
  }
  return result;
}

const range = ([a, b]: [number, number]) => (a === b ? String(a) : `${a}–${b}`);

/** "places 2/1, culture 1/1 …": SQL statements / subgraph requests per operation. */
export function formatProbe(r: ProbeResult | { error: string }): string {
  if ('error' in r) return `n/a (${r.error})`;
  const parts = [...r].map(([name, c]) => `${name} ${range(c.statements)}/${range(c.requests)}`);
  const total = [...r.values()].reduce((s, c) => s + c.statements[1], 0);
  return `${parts.join(', ')} (total SQL ${total})`;
}

/** SQL statements per subgraph as table cells, in the given subgraph order. */
export function probeCells(r: ProbeResult | { error: string }, names: string[]): string[] {
  if ('error' in r) return names.map(() => 'n/a');
  return names.map((n) => {
    const c = r.get(n);
    return c ? `${range(c.statements)} (${range(c.requests)} req)` : '–';
  });
}
