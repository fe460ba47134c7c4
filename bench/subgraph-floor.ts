/**
 * The two side measurements of bench:subgraphs (subgraph-sql.ts): the floor of HTTP and JSON
 * alone, and a CPU profile of the measured fetches.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSubgraphHttpClient } from '../gateway/upstream/http.js';
import { summarizeProfile, type CpuProfile, type SelfTime } from './cpuprofile.js';
import { fixed, markdownTable } from './stats.js';

/** What the floor costs per exchange: wall time, and this process's CPU (server and client). */
export interface Floor {
  us: number;
  cpuUs: number;
  profile?: { functions: SelfTime[]; packages: SelfTime[] };
}

/**
 * An exchange of the same bytes with a server that does nothing but HTTP and JSON: the client
 * (the gateway's pooled node:http client) and a bare node:http server in this process, each
 * parsing the other's JSON. `profile`: a CPU profile of `requests` more exchanges.
 */
export async function httpFloor(
  bodies: string[],
  answers: string[],
  requests: number,
  profile = false,
): Promise<Floor> {
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      const i = bodies.indexOf(text);
      JSON.parse(text);
      res.setHeader('content-type', 'application/json');
      res.end(answers[i]);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const http = createSubgraphHttpClient(`http://127.0.0.1:${port}/graphql`, { maxSockets: 1 });
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  const send = async (i: number) => {
    const res = await http.post(bodies[i % bodies.length], headers, 10_000);
    JSON.parse(res.body);
  };
  try {
    for (let i = 0; i < requests; i++) await send(i);
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < requests; i++) await send(i);
    const us = ((performance.now() - started) * 1000) / requests;
    const used = process.cpuUsage(cpu);
    return {
      us,
      cpuUs: (used.user + used.system) / requests,
      profile: profile ? await profiled(requests, send) : undefined,
    };
  } finally {
    http.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** A CPU profile of `requests` more fetches (V8's sampling profiler, in this process). */
export async function profiled(requests: number, send: (i: number) => Promise<void>) {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    for (let i = 0; i < requests; i++) await send(i);
    const { profile } = await session.post('Profiler.stop');
    if (process.env.SUBGRAPH_PROFILE_DIR)
      writeFileSync(
        join(process.env.SUBGRAPH_PROFILE_DIR, `subgraph-${Date.now()}.cpuprofile`),
        JSON.stringify(profile),
      );
    const summary = summarizeProfile(profile as unknown as CpuProfile);
    return { functions: summary.functions, packages: summary.packages };
  } finally {
    session.disconnect();
  }
}

/** The top of a profile: packages, then functions, by self time. */
export function profileTable(
  subgraph: string,
  profile: { functions: SelfTime[]; packages: SelfTime[] },
  top = 12,
): string {
  const rows = (list: SelfTime[]) =>
    list.slice(0, top).map((t) => [t.name, `${fixed(t.share * 100, 1)} %`]);
  return [
    `${subgraph}: CPU of the profiled fetches by package (self time, busy time only)`,
    markdownTable(['package', 'share'], rows(profile.packages)),
    '',
    `${subgraph}: by function`,
    markdownTable(['function', 'share'], rows(profile.functions)),
  ].join('\n');
}
