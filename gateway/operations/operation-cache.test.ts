import { ApolloServer } from '@apollo/server';
import { buildSchema, printSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSchemaOf, readSupergraph } from '../../scripts/api-schema.js';
import { loadGatewayConfig } from '../config.js';
import { sha256 } from './documents.js';
import { createLimits } from './limits.js';
import { createDocumentStore, createOperationCache } from './operation-cache.js';

/**
 * Apollo Server's document store answers the documents the pipeline has parsed and validated
 * from the operation cache: every new document was parsed and validated a second time on the
 * event loop (under 1,500 distinct documents, graphql's validate took 7 of the 44 busy seconds
 * of the gateway's main thread, half of them Apollo Server's) and held twice.
 */
const schema = apiSchemaOf(readSupergraph());
const limits = createLimits(loadGatewayConfig({ NODE_ENV: 'test' }).limits);
const operations = createOperationCache({ size: 100, limits });
const seen = { parsed: 0, validated: 0 };
const apollo = new ApolloServer({
  schema,
  documentStore: createDocumentStore(1024 * 1024, operations.validated),
  plugins: [
    {
      async requestDidStart() {
        return {
          async parsingDidStart() {
            seen.parsed++;
          },
          async validationDidStart() {
            seen.validated++;
          },
        };
      },
    },
  ],
});
const run = async (query: string) => {
  const res = await apollo.executeOperation({ query });
  return res.body.kind === 'single' ? res.body.singleResult : undefined;
};

beforeAll(() => apollo.start());
afterAll(() => apollo.stop());

describe("Apollo Server's document store", () => {
  it('takes a document the pipeline validated from the operation cache: no second parse', async () => {
    const query = '{ region(code: "331124") { code name } }';
    const doc = operations.document(schema, sha256(query), query, false);
    seen.parsed = seen.validated = 0;
    const result = await run(query);
    expect(result?.errors).toBeUndefined();
    expect(seen).toEqual({ parsed: 0, validated: 0 });
    // The very tree the pipeline holds (one copy per document), under this schema's key only.
    expect(operations.validated(`${sha256(printSchema(schema))}:${sha256(query)}`)).toBe(doc);
    expect(operations.validated(`${sha256('type Query { a: Int }')}:${sha256(query)}`)).toBe(
      undefined,
    );
  });

  it('parses and validates what the pipeline did not validate, or validated for another schema', async () => {
    // Not seen by the pipeline (a text rewritten by authorization, say): Apollo Server parses it.
    seen.parsed = seen.validated = 0;
    expect((await run('{ region(code: "3311") { code } }'))?.errors).toBeUndefined();
    expect(seen).toEqual({ parsed: 1, validated: 1 });
    // Refused by the pipeline: never answered from the cache, Apollo Server says why.
    const invalid = '{ region(code: "3311") { nope } }';
    expect(() => operations.document(schema, sha256(invalid), invalid, false)).toThrow();
    seen.parsed = seen.validated = 0;
    expect((await run(invalid))?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(seen).toEqual({ parsed: 1, validated: 1 });
    // Validated against another schema: its key names this one, so Apollo Server validates.
    const other = buildSchema('type Query { region(code: ID!): Region } type Region { x: Int }');
    const elsewhere = '{ region(code: "33") { x } }';
    operations.document(other, sha256(elsewhere), elsewhere, false);
    seen.parsed = seen.validated = 0;
    expect((await run(elsewhere))?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(seen).toEqual({ parsed: 1, validated: 1 });
  });
});
