import { readyExamples } from '../../gateway/analyst/examples.js';
import type { GraphQLResponse } from './subgraph.js';

/**
 * The operations the fault tests run (test/faults.test.ts, test/garbled-answers.test.ts) and
 * how an answer under a fault is judged against the fault-free one.
 */
export const SONGYANG = '331124';
export const VILLAGE = '331124001201';

/** The GraphiQL examples (reads), aimed at the seeded county, and the index at every level. */
export const OPERATIONS: { name: string; query: string; variables: Record<string, unknown> }[] = [
  ...readyExamples()
    .filter((e) => !/^\s*(#.*\n)*\s*mutation\b/.test(e.document))
    .map((e) => ({
      name: e.name,
      query: e.document,
      variables: {
        ...e.variables,
        ...(e.variables?.code
          ? { code: e.name === 'VillageProfile' ? VILLAGE : e.variables.code }
          : {}),
        ...(e.variables?.regionCode ? { regionCode: SONGYANG } : {}),
      },
    })),
  {
    name: 'IndexAtEveryLevel',
    query: `query IndexAtEveryLevel {
      province: region(code: "33") { digitalIndex { score provenance { kind note } } }
      city: region(code: "3311") { digitalIndex { score } }
      county: region(code: "${SONGYANG}") {
        digitalIndex { score components { cultureCoverage clinicAccess onlineStores } }
        villagesByIndex(first: 5) { rank village { code } index { score } }
        childrenByIndex(first: 5) { rank region { code } index { score } }
      }
      village: village(code: "${VILLAGE}") { name digitalIndex { score } }
      other: village(code: "331124102201") { digitalIndex { score } }
    }`,
    variables: {},
  },
  {
    // Three villages' culture in one batched fetch of the default engine (`_e0: _entities(…)`).
    name: 'ThreeVillages',
    query: `query ThreeVillages {
      a: village(code: "331124001200") { code culture { auditorium { name } } }
      b: village(code: "331124001218") { code culture { auditorium { name } } }
      c: village(code: "${VILLAGE}") { code culture { auditorium { name } } }
    }`,
    variables: {},
  },
  {
    // Every village of the county (214) in one fetch per domain: more entities than the 100
    // errors a failed fetch used to be given, past which fields came back null without one.
    name: 'EveryVillage',
    query: `query EveryVillage { region(code: "${SONGYANG}") { children { villages(first: 100) {
      edges { node { code culture { auditorium { name } } healthcare { clinic { name } }
        commerce { storeCount } } } } } } }`,
    variables: {},
  },
];

type Path = (string | number)[];

/**
 * Compares an answer under a fault with the fault-free one: the differences that break the
 * contract (a different value, a null without an error on its path, an error of another code
 * than `codes`).
 */
export function violations(
  expected: unknown,
  got: GraphQLResponse,
  query: string,
  codes = ['SUBGRAPH_UNAVAILABLE'],
): string[] {
  const problems: string[] = [];
  const errors = got.body.errors ?? [];
  for (const e of errors) {
    if (!codes.includes(String(e.extensions?.code)))
      problems.push(`error ${String(e.extensions?.code)} at ${JSON.stringify(e.path)}`);
    for (const key of e.path ?? []) {
      if (typeof key === 'string' && !new RegExp(`\\b${key}\\b`).test(query))
        problems.push(`error path ${JSON.stringify(e.path)} names "${key}", not in the operation`);
    }
  }
  const related = (path: Path) =>
    errors.some((e) => {
      const p = (e.path ?? []) as Path;
      const n = Math.min(p.length, path.length);
      return p.length > 0 && p.slice(0, n).every((k, i) => k === path[i]);
    });
  const walk = (want: unknown, have: unknown, path: Path) => {
    if (have === null && want !== null) {
      if (!related(path)) problems.push(`null without an error at ${JSON.stringify(path)}`);
      return;
    }
    if (want === null || typeof want !== 'object') {
      if (want !== have)
        problems.push(
          `${JSON.stringify(path)}: ${JSON.stringify(have)} instead of ${JSON.stringify(want)}`,
        );
      return;
    }
    if (Array.isArray(want)) {
      if (!Array.isArray(have) || have.length !== want.length) {
        problems.push(`${JSON.stringify(path)}: a list of another length`);
        return;
      }
      want.forEach((w, i) => walk(w, have[i], [...path, i]));
      return;
    }
    if (typeof have !== 'object' || have === undefined) {
      problems.push(`${JSON.stringify(path)}: missing`);
      return;
    }
    for (const [k, w] of Object.entries(want as Record<string, unknown>))
      walk(w, (have as Record<string, unknown>)[k], [...path, k]);
  };
  if (got.body.data === null || got.body.data === undefined) {
    if (errors.length === 0) problems.push('no data and no error');
  } else walk(expected, got.body.data, []);
  return problems;
}
