import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRuralVillageName, readDivisions } from '../../shared/divisions.js';

/** One township of each of Zhejiang's 11 cities, small enough to seed quickly. */
export const CITY_TOWNSHIPS = [
  '330106010',
  '330226110',
  '330324007',
  '330424001',
  '330521101',
  '330604001',
  '330702202',
  '330822200',
  '330902006',
  '331024201',
  '331102202',
];
export const ZHEJIANG_CITIES = CITY_TOWNSHIPS.map((t) => t.slice(0, 4));
/** 马鞍街道, 柯桥区, Shaoxing: the township of 宝善桥村委会 (Baoshanqiao). */
export const BAOSHANQIAO_TOWNSHIP = '330603011';

/** Rural village codes of the dataset under any of the prefixes. */
export async function ruralVillages(prefixes: string[]): Promise<string[]> {
  const codes: string[] = [];
  for await (const v of readDivisions('villages')) {
    if (prefixes.some((p) => v.code.startsWith(p)) && isRuralVillageName(v.name)) {
      codes.push(v.code);
    }
  }
  return codes.sort();
}

/**
 * @apollo/gateway 2.14 refuses supergraphs that link a `for: SECURITY` feature such as
 * requiresScopes (only the router supports it). Until the gateway handles the scopes itself,
 * the stack tests run it on a copy of the committed supergraph without that purpose.
 */
export function gatewaySupergraphCopy(): string {
  const sdl = readFileSync('schema/supergraph.graphql', 'utf8').replace(
    /(@link\(url: "https:\/\/specs\.apollo\.dev\/requiresScopes\/v0\.1"), for: SECURITY\)/,
    '$1)',
  );
  const dir = mkdtempSync(join(tmpdir(), 'healthcare-supergraph-'));
  const path = join(dir, 'supergraph.graphql');
  writeFileSync(path, sdl);
  return path;
}
