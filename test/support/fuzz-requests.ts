import type { GraphQLSchema } from 'graphql';
import { fragmentBomb, oddString } from './hostile.js';
import { KNOWN_REGION_CODES, KNOWN_VILLAGE_CODES, randomOperation } from './random-documents.js';
import type { Rng } from './rng.js';

/**
 * One request of the adversarial fuzz (test/fuzz.test.ts), drawn from `r`: random valid and
 * invalid documents from the schema (deep fragments, aliases, variables with defaults), hostile
 * strings wherever a string or id goes, fragment bombs, sizes through variables, writes,
 * limits overrun, malformed bodies; with the API key 40 % of the time.
 */
export function fuzzRequest(
  schema: GraphQLSchema,
  r: Rng,
  seed: number,
  apiKey: string,
): { body: unknown; headers: Record<string, string> } {
  const headers: Record<string, string> = r.chance(0.4) ? { 'x-api-key': apiKey } : {};
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
      Array.from({ length: r.int(10, 80) }, (_, k) => `a${k}: region(code: "33") { code }`).join(
        ' ',
      ) +
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
}
