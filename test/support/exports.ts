/** What the export tests share: posting an export, reading its NDJSON lines, the paged API. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { FileKeyStore } from '../../gateway/auth/keys.js';
import { sha256 } from '../../gateway/operations/documents.js';
import type { ExtraGateway, Stack } from './stack.js';

/** One NDJSON line of an export: a village, the done line, or the terminal error line. */
export interface Line {
  cursor?: string;
  code?: string;
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[];
  done?: boolean;
  count?: number;
  error?: { code: string; retryAfter?: number };
}

export const originOf = (gw: ExtraGateway) => new URL(gw.url).origin;

export function post(
  origin: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
) {
  return fetch(`${origin}/exports/villages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-encoding': 'identity', ...headers },
    body: JSON.stringify(body),
    signal,
  });
}

export const parseLines = (text: string): Line[] =>
  text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Line);

export async function exportAll(
  origin: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const res = await post(origin, body, headers);
  const text = await res.text();
  return { res, lines: res.status === 200 ? parseLines(text) : [], text };
}

/** Reads an export's lines until `n` have arrived, then cuts the connection. */
export async function readThenCut(origin: string, body: unknown, n: number): Promise<Line[]> {
  const cut = new AbortController();
  const res = await post(origin, body, {}, cut.signal);
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  const lines: Line[] = [];
  while (lines.length < n) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const p of parts) if (lines.length < n) lines.push(JSON.parse(p) as Line);
  }
  cut.abort();
  await reader.cancel().catch(() => {});
  return lines;
}

/** The paged API's answer: every node of the region with the same selection, in code order. */
export interface PagedVillages {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string };
  edges: { node: Record<string, unknown> }[];
}

export async function pagedVillages(stack: Stack, region: string, selection: string) {
  const nodes: Record<string, unknown>[] = [];
  let after: string | null = null;
  for (;;) {
    const res: { body: { data?: { villages: PagedVillages } | null; errors?: unknown } } =
      await stack.query<{ villages: PagedVillages }>(
        `query Paged($r: ID!, $after: String) { villages(filter: { regionCode: $r }, first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node ${selection} } } }`,
        { r: region, after },
      );
    expect(res.body.errors).toBeUndefined();
    const page: PagedVillages = res.body.data!.villages;
    nodes.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return { nodes, totalCount: page.totalCount };
    after = page.pageInfo.endCursor;
  }
}

export async function fetchesSoFar(origin: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(/^gateway_subgraph_fetches_total\{[^}]*\} (\d+)/gm))
    sum += Number(m[1]);
  return sum;
}

/**
 * The gateway's subgraph fetches once they have held still for `stillMs` (a cut export first
 * finishes the page it was fetching: 300 ms was not enough for that at load 15). Throws when they
 * are still growing after `withinMs`.
 */
export async function fetchesOnceStill(origin: string, stillMs = 1_000, withinMs = 20_000) {
  const deadline = Date.now() + withinMs;
  let last = await fetchesSoFar(origin);
  for (;;) {
    await new Promise((r) => setTimeout(r, stillMs));
    const now = await fetchesSoFar(origin);
    if (now === last) return now;
    if (Date.now() > deadline) throw new Error(`subgraph fetches still growing: ${now}`);
    last = now;
  }
}

/**
 * A gateway of `stack` whose trusted documents are `document` alone, and a key restricted to
 * trusted documents.
 */
export async function trustedDocumentsGateway(stack: Stack, document: string) {
  const dir = mkdtempSync(join(tmpdir(), 'rdsg-exports-trusted-'));
  const manifest = join(dir, 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ [sha256(document)]: document }));
  const keysPath = join(dir, 'keys.json');
  const { key } = await new FileKeyStore(keysPath, 0).create({
    name: 'partner',
    owner: 'p',
    scopes: [],
    trustedDocumentsOnly: true,
  });
  const gw = await stack.extraGateway({ TRUSTED_DOCUMENTS_PATH: manifest, KEYS_PATH: keysPath });
  return { gw, key };
}
