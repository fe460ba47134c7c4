/**
 * Checks that every cross-subgraph reference resolves, through the gateway only (the public API,
 * paged, within the caller's quotas):
 *
 *   npm run check:references -- [--url http://localhost:4000/graphql] [--api-key rdsg_…]
 *     [--scope national|zhejiang|<region codes, comma-separated>] [--concurrency 4] [--examples 5]
 *
 * The kinds checked are declared in scripts/references.ts. Prints, per kind, how many references
 * were checked and how many dangle (with examples), and exits 1 if any dangle, 2 if the check
 * could not run. The API key may also come from RDSG_API_KEY, the URL from GATEWAY_URL; without a
 * key the anonymous quota applies (60 requests a minute by default: slow beyond a county). A 429
 * is waited out as its Retry-After says. A progress line goes to stderr every few seconds.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  REFERENCE_KINDS,
  WALKS,
  type FollowUp,
  type Node,
  type Reference,
  type ReferenceKind,
  type WalkName,
} from './references.js';
import { at, CheckError, Client, sleep, walkQuery } from './references-client.js';
import { formatReport, type CheckResult, type KindResult } from './references-report.js';

export { CheckError, formatReport, type CheckResult, type KindResult };

export interface CheckOptions {
  url: string;
  apiKey?: string;
  /** Region codes to walk; default every province places knows. */
  scope?: string[];
  concurrency?: number;
  /** Examples printed per dangling kind. */
  examples?: number;
  /** Progress lines (default: none). */
  progress?: (line: string) => void;
}

/** Walks every declared reference kind through the gateway and counts what dangles. */
export async function checkReferences(opts: CheckOptions): Promise<CheckResult> {
  const started = Date.now();
  const client = new Client(opts.url, opts.apiKey);
  const kinds = REFERENCE_KINDS;
  const examplesWanted = opts.examples ?? 5;

  // Scope: regions places knows, walked city by city so several pages can run at once.
  const scopeRegions: { code: string; villageCount: number }[] = opts.scope?.length
    ? await Promise.all(
        opts.scope.map(async (code) => {
          const d = await client.query(
            'query($c: ID!) { region(code: $c) { code villageCount } }',
            {
              c: code,
            },
          );
          return (
            (d.region as { code: string; villageCount: number } | null) ?? {
              code,
              villageCount: 0,
            }
          );
        }),
      )
    : ((await client.query('{ provinces { code villageCount } }')).provinces as {
        code: string;
        villageCount: number;
      }[]);
  const villageTotal = scopeRegions.reduce((a, r) => a + r.villageCount, 0);
  const parts: string[] = [];
  for (const r of scopeRegions) {
    if (r.code.length !== 2) {
      parts.push(r.code);
      continue;
    }
    const d = await client.query('query($c: ID!) { region(code: $c) { children { code } } }', {
      c: r.code,
    });
    const children = ((d.region as Node | null)?.children ?? []) as { code: string }[];
    parts.push(...(children.length > 0 ? children.map((c) => c.code) : [r.code]));
  }

  const knownVillages = new Set<string>();
  const knownRegions = new Set<string>();
  const found = new Map<ReferenceKind, Reference[]>(kinds.map((k) => [k, []]));
  const walked = new Map<string, number>();
  const record = (kind: ReferenceKind, refs: Reference[]) => found.get(kind)!.push(...refs);

  const onNode = (walk: WalkName, node: Node, queue: (t: () => Promise<void>) => void) => {
    walked.set(walk, (walked.get(walk) ?? 0) + 1);
    if (walk === 'villages') {
      knownVillages.add(node.code as string);
      for (const level of ['township', 'county', 'city', 'province'])
        if (node[level]?.code) knownRegions.add(node[level].code as string);
    }
    for (const kind of kinds) {
      if (kind.walk !== walk) continue;
      record(kind, kind.refs(node));
      for (const f of kind.followUps?.(node) ?? []) queue(() => followUp(kind, f));
    }
  };

  const followUp = async (kind: ReferenceKind, f: FollowUp) => {
    let variables = f.variables;
    for (;;) {
      const conn = at(await client.query(f.query, variables), f.path);
      for (const e of (conn?.edges ?? []) as Node[]) record(kind, f.refs(e.node as Node));
      if (!conn?.pageInfo?.hasNextPage) return;
      variables = { ...variables, after: conn.pageInfo.endCursor };
    }
  };

  const walkPart = async (
    walk: WalkName,
    region: string,
    queue: (t: () => Promise<void>) => void,
  ) => {
    const query = walkQuery(walk, kinds);
    let first: number = WALKS[walk].pageSize;
    let after: string | null = null;
    for (;;) {
      let data: Node;
      try {
        data = await client.query(query, { region, first, after });
      } catch (e) {
        // A page too costly for the gateway's limit: halve it and ask again.
        if ((e as { code?: string }).code === 'COST_LIMIT_EXCEEDED' && first > 1) {
          first = Math.ceil(first / 2);
          continue;
        }
        throw e;
      }
      const conn = data.list as Node;
      for (const e of conn.edges as Node[]) onNode(walk, e.node as Node, queue);
      if (!conn.pageInfo.hasNextPage) return;
      after = conn.pageInfo.endCursor as string;
    }
  };

  // A small pool of workers over a queue of tasks (one region's walk, or a follow-up).
  const tasks: (() => Promise<void>)[] = [];
  const queue = (t: () => Promise<void>) => tasks.push(t);
  const walks = [...new Set(kinds.map((k) => k.walk))];
  for (const part of parts) for (const walk of walks) queue(() => walkPart(walk, part, queue));
  const progress = () => {
    const refs = [...found.values()].reduce((a, r) => a + r.length, 0);
    const per = walks.map((w) => `${w} ${(walked.get(w) ?? 0).toLocaleString('en')}`).join(', ');
    opts.progress?.(
      `  villages ${(walked.get('villages') ?? 0).toLocaleString('en')} of ` +
        `${villageTotal.toLocaleString('en')}; nodes: ${per}; ${refs.toLocaleString('en')} ` +
        `references; ${client.requests.toLocaleString('en')} requests; ` +
        `${Math.round((Date.now() - started) / 1000)} s`,
    );
  };
  const timer = setInterval(progress, 3000);
  try {
    let active = 0;
    let failure: unknown = null;
    const worker = async () => {
      for (;;) {
        if (failure) return;
        const task = tasks.shift();
        if (!task) {
          if (active === 0) return;
          await sleep(10);
          continue;
        }
        active++;
        try {
          await task();
        } catch (e) {
          failure ??= e;
        } finally {
          active--;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
    if (failure) throw failure;

    // Keys not met on the walks (outside the scope, or missing): ask places for each, 30 at once.
    const lookup = async (target: 'Village' | 'Region', known: Set<string>) => {
      const unknown = new Set<string>();
      for (const refs of found.values())
        for (const r of refs) if (r.target === target && !known.has(r.key)) unknown.add(r.key);
      const keys = [...unknown];
      const field = target === 'Village' ? 'village' : 'region';
      for (let i = 0; i < keys.length; i += 30) {
        const batch = keys.slice(i, i + 30);
        const q = `{ ${batch.map((k, j) => `k${j}: ${field}(code: ${JSON.stringify(k)}) { code }`).join(' ')} }`;
        const data = await client.query(q);
        batch.forEach((k, j) => {
          if (data[`k${j}`]) known.add(k);
        });
      }
    };
    await lookup('Village', knownVillages);
    await lookup('Region', knownRegions);
  } finally {
    clearInterval(timer);
  }
  progress();

  const results = kinds.map((kind): KindResult => {
    const refs = found.get(kind)!;
    const bad = refs.filter((r) =>
      r.target === 'joined'
        ? !r.resolved
        : !(r.target === 'Village' ? knownVillages : knownRegions).has(r.key),
    );
    return {
      kind,
      checked: refs.length,
      dangling: bad.length,
      examples: bad
        .slice(0, examplesWanted)
        .map((r) =>
          r.target === 'joined'
            ? `${r.source} → ${kind.to}${r.key ? ` ${r.key}` : ''}: null (not found)`
            : `${r.source} → ${r.target} ${r.key}: not found`,
        ),
    };
  });
  return {
    kinds: results,
    requests: client.requests,
    seconds: (Date.now() - started) / 1000,
    scope: scopeRegions.map((r) => r.code),
  };
}

/** The command: returns the exit code (0 all resolve, 1 some dangle, 2 the check failed). */
export async function main(
  argv: string[],
  io: { out: (line: string) => void; err: (line: string) => void } = {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
  },
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: env.GATEWAY_URL ?? 'http://localhost:4000/graphql' },
      'api-key': { type: 'string', default: env.RDSG_API_KEY },
      scope: { type: 'string' },
      concurrency: { type: 'string', default: '4' },
      examples: { type: 'string', default: '5' },
    },
  });
  const url = values.url!;
  try {
    const result = await checkReferences({
      url,
      apiKey: values['api-key'] || undefined,
      // `zhejiang` and `national` as for `npm run seed`; national is the default.
      scope: values.scope
        ?.split(',')
        .map((s) => s.trim())
        .filter((s) => s && s !== 'national')
        .map((s) => (s === 'zhejiang' ? '33' : s)),
      concurrency: Number(values.concurrency),
      examples: Number(values.examples),
      progress: io.err,
    });
    for (const line of formatReport(result, url)) io.out(line);
    return result.kinds.some((k) => k.dangling > 0) ? 1 : 0;
  } catch (e) {
    io.err(`check:references failed: ${(e as Error).message}`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
