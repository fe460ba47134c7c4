import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../gateway/auth/keys.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import {
  NOTES_SDL,
  startNotesSubgraph,
  writeSupergraph,
  type NotesSubgraph,
} from './support/notes-subgraph.js';

/**
 * The keys file broken under a running gateway (deleted by a deploy, truncated, half written by
 * an editor that does not rename): the keys read last keep answering, the operator's /readyz and
 * /metrics say the file cannot be read, and a valid file is taken again when it is back.
 */
const dir = mkdtempSync(join(tmpdir(), 'rdsg-keys-file-'));
const keysPath = join(dir, 'keys.json');
const store = new FileKeyStore(keysPath, 0);
let notes: NotesSubgraph;
let gw: TestGateway;
let key: string;
let good: string;

beforeAll(async () => {
  notes = await startNotesSubgraph();
  key = (await store.create({ name: 'partner', owner: 'acme', scopes: [] })).key;
  good = readFileSync(keysPath, 'utf8');
  gw = await startGateway({
    SUPERGRAPH_PATH: writeSupergraph([{ name: 'notes', url: notes.url, sdl: NOTES_SDL }]),
    KEYS_PATH: keysPath,
    KEYS_RELOAD_MS: '0',
  });
});
afterAll(async () => {
  await gw?.close();
  await notes?.close();
  rmSync(dir, { recursive: true, force: true });
});

const hello = (k: string) => gw.query('{ hello }', {}, { 'x-api-key': k });
const base = () => gw.url.replace(/\/graphql$/, '');
const readiness = async () => (await fetch(`${base()}/readyz`)).json();
const staleGauge = async () =>
  /^gateway_key_store_stale (\d)$/m.exec(await (await fetch(`${base()}/metrics`)).text())?.[1];

describe('the keys file broken while the gateway runs', () => {
  it('keeps the keys read last, reports it, and takes the file again when it is valid', async () => {
    expect((await hello(key)).body).toEqual({ data: { hello: 'hello' } });

    const broken: [string, () => void][] = [
      ['deleted', () => unlinkSync(keysPath)],
      ['truncated', () => writeFileSync(keysPath, '')],
      ['half written', () => writeFileSync(keysPath, good.slice(0, good.length >> 1))],
      ['not a keys file', () => writeFileSync(keysPath, '{"version": 1}')],
    ];
    for (const [how, breakIt] of broken) {
      breakIt();
      const res = await hello(key);
      expect({ how, status: res.status, body: res.body }).toEqual({
        how,
        status: 200,
        body: { data: { hello: 'hello' } },
      });
      expect(await readiness()).toEqual({ status: 'ready', degraded: ['keys'] });
      expect(await staleGauge()).toBe('1');
      // An unknown key is still refused as such.
      expect((await hello('rdsg_unknown')).status).toBe(401);
    }

    // Valid again, without this key: it is refused now, and the file is current.
    writeFileSync(keysPath, JSON.stringify({ version: 1, keys: [] }));
    expect((await hello(key)).status).toBe(401);
    expect(await readiness()).toEqual({ status: 'ready' });
    expect(await staleGauge()).toBe('0');
    writeFileSync(keysPath, good);
    expect((await hello(key)).status).toBe(200);
  });
});
