import { expect } from 'vitest';
import type { BootedSubgraph } from '../../../test/support/subgraph.js';
import { readDivisions, type DivisionFile } from '../../shared/divisions.js';

/** Songyang county (Lishui) and Haishu district (Ningbo). */
export const SCOPES = ['331124', '330203'];

/** A region's stores and jobs, as the gateway fetches them. */
export const REGION = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region { code commerce {
  stores { total byCategory { category count jobs } provenance { kind source asOf } }
  jobs { count provenance { kind source asOf } } } } } }`;

export type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Queries (and writes) as the gateway would, with a steward's identity; fails on errors. */
export function dataOf(commerce: () => BootedSubgraph) {
  return async (q: string, vars?: Record<string, unknown>): Promise<Data> => {
    const res = await commerce().write(q, vars);
    expect(res.body.errors).toBeUndefined();
    return res.body.data as Data;
  };
}

/** A region's online sales of one month, from the rollups. */
export function regionSalesOf(commerce: () => BootedSubgraph) {
  const data = dataOf(commerce);
  return async (code: string, month: string) => {
    const d = await data(
      `query($r: [_Any!]!, $m: String!) { _entities(representations: $r) { ... on Region {
      commerce { onlineSales(from: $m, to: $m) { orders revenue { amount } } } } } }`,
      { r: [{ __typename: 'Region', code }], m: month },
    );
    return d._entities[0].commerce.onlineSales;
  };
}

/**
 * A region's representation as the gateway sends it for `commerce` (which `@requires` the
 * region's children from places): its children's codes from the division data.
 */
export async function regionRepresentation(code: string) {
  const file: DivisionFile = ({ 2: 'cities', 4: 'areas', 6: 'streets' } as const)[code.length]!;
  const children: { code: string; ruralVillageCount: number }[] = [];
  if (code.length < 9) {
    for await (const row of readDivisions(file, code)) {
      children.push({ code: row.code, ruralVillageCount: 0 });
    }
  }
  return { __typename: 'Region', code, ruralVillageCount: 0, children };
}
