import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDist, freePort } from './support/processes.js';
import { FileKeyStore } from '../gateway/keys.js';
import { apiSchemaOf, readSupergraph } from '../scripts/api-schema.js';
import { commerceSubgraph } from '../subgraphs/commerce/index.js';
import { cultureSubgraph } from '../subgraphs/culture/index.js';
import { healthcareSubgraph } from '../subgraphs/healthcare/index.js';
import { placesSubgraph } from '../subgraphs/places/index.js';
import {
  KNOWN_REGION_CODES,
  KNOWN_VILLAGE_CODES,
  randomOperation,
  rng,
  type Rng,
} from './support/random-documents.js';
import { bootSubgraph, type BootedSubgraph } from './support/subgraph.js';

/**
 * The gateway as an attacker meets it: a separate process (its memory is measured on its own)
 * over the four real subgraphs, fed seeded random and hostile documents, anonymously and with
 * an API key. Invariants: never a 5xx, every answer within the subgraph timeout, /healthz
 * fast throughout, the gateway's memory bounded, every subgraph still answering afterwards.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
// Bounded in count and time; FUZZ_SEED, FUZZ_REQUESTS, FUZZ_MS, FUZZ_WORKERS change a run, and
// FUZZ_DUMP=<file> writes every failing request there as a JSON line.
const FUZZ_MS = Number(process.env.FUZZ_MS ?? 25_000);
const FUZZ_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 1_000);
const SUBGRAPH_TIMEOUT_MS = 5_000;
const schema = apiSchemaOf(readSupergraph());

let subgraphs: BootedSubgraph[] = [];
let gateway: GatewayProcess | undefined;
let base = '';
let apiKey = '';

/** Resident and peak resident memory of a process, in MB (Linux /proc). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

interface Answer {
  status: number;
  ms: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function send(
  body: unknown,
  headers: Record<string, string> = {},
  to = base,
): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${to}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Answer['body'];
  try {
    parsed = JSON.parse(text) as Answer['body'];
  } catch {
    parsed = { errors: [{ message: text.slice(0, 200) }] };
  }
  return { status: res.status, ms: performance.now() - started, body: parsed };
}

/**
 * Polls /healthz every 20 ms from a process of its own (this one also runs the subgraphs, whose
 * work would delay the probe's own timers) until stopped; resolves with every latency in ms.
 */
function probeHealth(): { started: Promise<void>; stop: () => Promise<number[]> } {
  const script = `
    const latencies = [];
    let running = true;
    process.stdin.on('end', () => (running = false)).resume();
    (async () => {
      while (running) {
        const t = performance.now();
        const ok = await fetch(process.argv[1]).then((r) => r.arrayBuffer().then(() => r.ok), () => false);
        latencies.push(ok ? performance.now() - t : 1e9);
        if (latencies.length === 1) process.stdout.write('r');
        await new Promise((r) => setTimeout(r, 20));
      }
      process.stdout.write(JSON.stringify(latencies));
    })();`;
  const child = spawn(process.execPath, ['-e', script, `${base}/healthz`], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  let ready: () => void = () => {};
  const started = new Promise<void>((r) => (ready = r));
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    ready();
  });
  const done = new Promise((r) => child.once('exit', r));
  return {
    started,
    stop: async () => {
      child.stdin.end();
      await done;
      return JSON.parse(out.slice(1) || '[]') as number[];
    },
  };
}

/** `fragment F1 on Query { village(code:"1"){code} }`, F2 = F1 twice, …, `{ ...F<levels> }`. */
function fragmentBomb(levels: number, width = 2): string {
  const parts = ['fragment F1 on Query { village(code: "1") { code } }'];
  for (let i = 2; i <= levels; i++) {
    parts.push(`fragment F${i} on Query { ${`...F${i - 1} `.repeat(width)}}`);
  }
  return `{ ...F${levels} }\n${parts.join('\n')}`;
}

/** Strings that have broken parsers, escapers, databases and loggers. */
function oddString(r: Rng): string {
  const pieces = [
    '\u0000',
    '\\',
    '\\\\\\"',
    '"',
    '\u200b\u200c\u200d\ufeff',
    '\ud800',
    '\udfff',
    '\u202e',
    '😀',
    '\n\r\t',
    "'; DROP TABLE village; --",
    '%00%E0%A4%A',
    '${x}',
    '<script>',
    '村',
  ];
  const length = r.pick([1, 3, 20, 200, 5_000, 60_000]);
  let s = '';
  while (s.length < length) s += r.pick(pieces);
  return s;
}

/** A profile that needs all four subgraphs: null anywhere means one did not answer. */
const PROFILE = `query Profile($code: ID!) { village(code: $code) {
  code name county { name }
  culture { indexComponents { coverage } }
  healthcare { access { countyHospitalMinutes } }
  commerce { storeCount }
} }`;

interface GatewayProcess {
  base: string;
  pid: number;
  /** The process's stdout and stderr, last 20 kB. */
  output: () => string;
  exited: () => boolean;
  stop: () => Promise<void>;
}

/** `node dist/gateway/main.js` over the booted subgraphs, with `env` on top of the defaults. */
async function startGatewayProcess(
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<GatewayProcess> {
  const [places, culture, healthcare, commerce] = subgraphs;
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, 'dist/gateway/main.js'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      APOLLO_TELEMETRY_DISABLED: '1',
      METADATA_SERVER_DETECTION: 'none',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      LOG_SYNC: 'true',
      PLACES_URL: places.url,
      CULTURE_URL: culture.url,
      HEALTHCARE_URL: healthcare.url,
      COMMERCE_URL: commerce.url,
      KEYS_PATH: keysPath,
      SUPERGRAPH_WATCH: 'false',
      RESPONSE_CACHE: 'off',
      REDIS_URL: '',
      INTROSPECTION: 'false',
      FIELD_SUGGESTIONS: 'false',
      ANONYMOUS_RATE_LIMIT_PER_MINUTE: '0',
      ANONYMOUS_DAILY_QUOTA: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      DAILY_QUOTA: '0',
      SUBGRAPH_TIMEOUT_MS: String(SUBGRAPH_TIMEOUT_MS),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const collect = (c: Buffer) => (out = (out + c.toString()).slice(-20_000));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${base}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      throw new Error(`the gateway did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    pid: child.pid!,
    output: () => out,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

let keysPath = '';

beforeAll(async () => {
  // The gateway runs as `npm start` runs it: the compiled code in its own process.
  await compileDist();
  subgraphs = await Promise.all(
    [placesSubgraph, cultureSubgraph, healthcareSubgraph, commerceSubgraph].map((def) =>
      bootSubgraph(def as never, { scopes: ['331124'] }),
    ),
  );
  keysPath = join(mkdtempSync(join(tmpdir(), 'rdsg-fuzz-')), 'keys.json');
  apiKey = (
    await new FileKeyStore(keysPath, 0).create({ name: 'fuzz partner', owner: 'tests', scopes: [] })
  ).key;
  gateway = await startGatewayProcess();
  base = gateway.base;
  // The first requests of a process compile code and build the planner's state (half a second
  // of one core here); the bounds below are for a gateway that is serving, not starting.
  for (let i = 0; i < 5; i++) {
    await send({ query: PROFILE, variables: { code: '331124001201' } });
    await send(randomOperation(schema, i, { maxDepth: 4 }));
  }
}, 240_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(subgraphs.map((s) => s.close()));
});

describe('bounded operation work', () => {
  it('refuses the 19-level fragment bomb at once, anonymously, while /healthz answers', async () => {
    const health = probeHealth();
    await health.started;
    const answer = await send({ query: fragmentBomb(19) });
    await new Promise((r) => setTimeout(r, 50));
    const probes = await health.stop();
    process.stdout.write(
      `fragment bomb (19 levels, ${fragmentBomb(19).length} bytes): refused in ${answer.ms.toFixed(1)} ms; ` +
        `slowest /healthz during it ${Math.max(...probes).toFixed(1)} ms\n`,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('SELECTION_LIMIT_EXCEEDED');
    expect(answer.ms).toBeLessThan(1000);
    expect(Math.max(...probes)).toBeLessThan(200);
  });

  it('costs a list by its variable default: `$n: Int = 100` is not the default list size', async () => {
    const query = (n: number) => `query Page($n: Int = ${n}) {
      villages(first: $n, filter: { regionCode: "331124" }) {
        edges { node { code county { name } culture { indexComponents { coverage } } } }
      }
    }`;
    // Ten villages cost little; a million, through the same default, is refused before running.
    const small = await send({ query: query(10) });
    expect(small.body.errors).toBeUndefined();
    const bypass = await send({ query: query(1_000_000) });
    expect(bypass.status).toBe(400);
    expect(bypass.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    // The value sent wins over the default, both ways.
    const sent = await send({ query: query(10), variables: { n: 1_000_000 } });
    expect(sent.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
  });

  it('costs rankings by what they fetch: a province of county rankings is refused', async () => {
    const answer = await send({
      query: `{ region(code: "33") { children { children {
        villagesByIndex(first: 1) { rank } childrenByIndex(first: 1) { rank }
      } } } }`,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    const county = await send({
      query: '{ region(code: "331124") { villagesByIndex(first: 3) { rank village { code } } } }',
    });
    expect(county.status).toBe(200);
    expect(county.body.errors).toBeUndefined();
  });

  it('keeps 200 distinct near-1 MB documents from holding 200 MB', async () => {
    // A gateway whose heap may not exceed 160 MB: were the documents kept (180 MB of text), it
    // would run out of memory and die; bounded by DOCUMENT_CACHE_MB it keeps answering.
    const capped = await startGatewayProcess({}, ['--max-old-space-size=160']);
    try {
      const r = rng(SEED);
      const before = memoryOf(capped.pid);
      let peak = before.rss;
      for (let i = 0; i < 200; i++) {
        // Valid and cheap to run: the bulk is a comment, so each document differs and is cached.
        const filler = `# ${i} ${r.next()} `.padEnd(900_000, 'x');
        const answer = await send({ query: `{ __typename }\n${filler}` }, {}, capped.base);
        expect(answer.status).toBe(200);
        peak = Math.max(peak, memoryOf(capped.pid).rss);
      }
      const after = memoryOf(capped.pid);
      process.stdout.write(
        `200 documents of 900 kB to a gateway with a 160 MB heap: RSS ${before.rss.toFixed(0)} → ` +
          `${after.rss.toFixed(0)} MB (peak ${peak.toFixed(0)} MB)\n`,
      );
      expect(capped.exited()).toBe(false);
      const last = await send({ query: '{ __typename }' }, {}, capped.base);
      expect(last.body).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await capped.stop();
    }
  }, 90_000);
});

describe('seeded adversarial fuzz', () => {
  it('never answers 5xx, never hangs, keeps /healthz fast and memory bounded', async () => {
    const r = rng(SEED);
    const pid = gateway!.pid;
    const start = memoryOf(pid);
    let peakRss = start.rss;
    const health = probeHealth();
    await health.started;
    const failures: string[] = [];
    const internal: string[] = [];
    const codes = new Map<string, number>();
    let slowest = 0;
    let sent = 0;
    const started = Date.now();

    const nextRequest = (i: number): { body: unknown; headers: Record<string, string> } => {
      const headers: Record<string, string> = r.chance(0.4) ? { 'x-api-key': apiKey } : {};
      const seed = SEED + i;
      const kind = r.next();
      if (kind < 0.45) {
        const op = randomOperation(schema, seed, {
          maxDepth: r.int(2, 7),
          maxWidth: r.int(1, 6),
          fragments: r.next() * 0.7,
          aliases: r.next() * 0.5,
          variables: r.next(),
          defaults: r.next(),
          conditions: 0.1,
          maxPageSize: r.pick([3, 10, 100]),
        });
        return { body: op, headers };
      }
      if (kind < 0.6) {
        // Hostile strings wherever the schema takes a string or an id.
        const op = randomOperation(schema, seed, {
          maxDepth: 3,
          string: oddString,
          value: (arg, g) => {
            if (!/^(code|regionCode|id|villageCode|nameContains|titleContains)$/.test(arg.name)) {
              return undefined;
            }
            return g.chance(0.6)
              ? oddString(g)
              : g.pick([...KNOWN_REGION_CODES, ...KNOWN_VILLAGE_CODES]);
          },
          variables: 0.5,
        });
        return { body: op, headers };
      }
      if (kind < 0.7) {
        // Nested spreads: bombs of every depth and width, and long chains.
        const levels = r.int(2, 40);
        return { body: { query: fragmentBomb(levels, r.int(1, 4)) }, headers };
      }
      if (kind < 0.8) {
        // Sizes through variable defaults and values, up to absurd.
        const n = r.pick([1, 20, 100, 1_000, 2 ** 31 - 1]);
        const field = r.pick(['villages', 'auditoriums', 'digitalResources']);
        const query = `query Sized($n: Int = ${n}) { ${field}(first: $n) { edges { node { __typename } } } }`;
        return { body: { query, variables: r.chance(0.3) ? { n: r.int(-5, 500) } : {} }, headers };
      }
      if (kind < 0.88) {
        // Writes: the key has no write scope, anonymous callers none at all.
        const op = randomOperation(schema, seed, { operation: 'mutation', string: oddString });
        return { body: op, headers };
      }
      if (kind < 0.94) {
        // Aliases and repeated fields beyond the limits, and deep nesting.
        const depth = r.int(5, 30);
        const query =
          '{ ' +
          Array.from(
            { length: r.int(10, 80) },
            (_, k) => `a${k}: region(code: "33") { code }`,
          ).join(' ') +
          ' r: region(code: "33") ' +
          '{ parent '.repeat(depth) +
          '{ code }' +
          ' }'.repeat(depth) +
          ' }';
        return { body: { query }, headers };
      }
      // Malformed bodies: not JSON, wrong shapes, broken documents.
      const bad = r.pick<unknown>([
        '{"query": ',
        '[]',
        '{"query": 42}',
        { query: '{ village(code: "\\u' },
        { query: `{ ${'{'.repeat(5000)} }` },
        { query: '{ __typename }', variables: [] },
        { query: '{ __typename }', operationName: { x: 1 } },
        { query: 'query A { __typename } query B { __typename }' },
        { query: `{ region(code: ${JSON.stringify(oddString(r))}) { code } }` },
      ]);
      return { body: bad, headers };
    };

    const worker = async () => {
      while (sent < FUZZ_REQUESTS && Date.now() - started < FUZZ_MS) {
        const i = sent++;
        const { body, headers } = nextRequest(i);
        const answer = await send(body, headers);
        slowest = Math.max(slowest, answer.ms);
        peakRss = Math.max(peakRss, memoryOf(pid).rss);
        const code =
          answer.body.errors?.[0]?.extensions?.code ?? (answer.status === 200 ? 'OK' : '?');
        codes.set(`${answer.status} ${code}`, (codes.get(`${answer.status} ${code}`) ?? 0) + 1);
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        if (answer.status >= 500 || answer.ms >= SUBGRAPH_TIMEOUT_MS) {
          failures.push(
            `#${i} ${answer.status} in ${answer.ms.toFixed(0)} ms: ${text.slice(0, 300)}`,
          );
          if (process.env.FUZZ_DUMP)
            appendFileSync(
              process.env.FUZZ_DUMP,
              `${JSON.stringify({ status: answer.status, body: answer.body, request: body, headers })}\n`,
            );
        }
        for (const e of answer.body.errors ?? []) {
          if (
            e.extensions?.code === 'INTERNAL_SERVER_ERROR' ||
            e.extensions?.code === 'SUBGRAPH_UNAVAILABLE'
          ) {
            internal.push(`#${i} ${e.extensions.code} (${e.message}): ${text.slice(0, 200)}`);
            if (process.env.FUZZ_DUMP) {
              appendFileSync(
                process.env.FUZZ_DUMP,
                `${JSON.stringify({ error: e, request: body })}\n`,
              );
            }
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Number(process.env.FUZZ_WORKERS ?? 4) }, worker));
    const probes = await health.stop();
    const end = memoryOf(pid);

    process.stdout.write(
      `fuzz seed ${SEED}: ${sent} requests in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `slowest answer ${slowest.toFixed(0)} ms; slowest of ${probes.length} /healthz ` +
        `${Math.max(...probes).toFixed(1)} ms; gateway RSS ${start.rss.toFixed(0)} → ` +
        `${end.rss.toFixed(0)} MB (peak ${Math.max(peakRss, end.peak).toFixed(0)} MB)\n` +
        `answers: ${JSON.stringify(Object.fromEntries([...codes].sort()))}\n` +
        (internal.length
          ? `errors to look at (${internal.length}):\n  ${internal.slice(0, 10).join('\n  ')}\n`
          : ''),
    );
    // A valid document the Rust planner cannot plan is answered by @apollo/gateway's planner
    // (engine.ts): no 500 at all.
    if (failures.length) process.stdout.write(`gateway log:\n${gateway!.output().slice(-4000)}\n`);
    expect(failures).toEqual([]);
    // /healthz shares the event loop with the request pipeline, never with planning: the Rust
    // planner runs off the loop, and the documents it cannot plan (about 3 % of these) are
    // planned by @apollo/gateway's planner in a worker thread (gateway/fallback-planner.ts).
    expect(Math.max(...probes)).toBeLessThan(200);
    expect(peakRss - start.rss).toBeLessThan(400);

    // Nothing left unavailable: every subgraph answers a normal profile.
    const profile = await send({ query: PROFILE, variables: { code: '331124001201' } });
    expect(profile.body.errors).toBeUndefined();
    expect(profile.body.data).toMatchObject({
      village: {
        code: '331124001201',
        county: { name: expect.any(String) },
        culture: { indexComponents: expect.any(Object) },
        healthcare: { access: expect.any(Object) },
        commerce: { storeCount: expect.any(Number) },
      },
    });
  }, 120_000);
});
