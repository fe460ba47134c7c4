import { createHash } from 'node:crypto';
import { parse } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createResponseCache } from '../operations/response-cache.js';
import { authorization } from './authorization.js';
import { operationState, partner, pipelineDeps, served } from './fixtures.js';
import { responseCache } from './response-cache.js';
import type { PipelineDeps } from './types.js';

const query = 'query Provinces { provinces { code } }';
async function prepared(deps: PipelineDeps, identity = partner, uncached = false) {
  const op = operationState(
    { query },
    {
      body: { query, variables: { a: 1 } },
      served,
      query,
      hash: createHash('sha256').update(query).digest('hex'),
      doc: parse(query),
      identity,
      internal: uncached,
      uncached,
    },
  );
  await authorization(op, deps);
  return op;
}

describe('response cache stage', () => {
  it('goes on when the cache is off', async () => {
    const op = await prepared(pipelineDeps());
    expect(await responseCache(op, pipelineDeps())).toBeUndefined();
    expect(op.cache).toBeUndefined();
  });

  it('misses, then answers a stored answer, marked private for a known caller', async () => {
    const cache = createResponseCache({
      mode: 'memory',
      maxBytes: 1 << 20,
      logger: pino({ level: 'silent' }),
    })!;
    const observed: unknown[] = [];
    const deps = pipelineDeps({
      responseCache: cache,
      observeCachedAnswer: (...args) => observed.push(args),
    });
    const miss = await prepared(deps);
    expect(await responseCache(miss, deps)).toBeUndefined();
    expect(miss.cacheQuery).toMatchObject({ schemaVersion: 'test', variables: { a: 1 } });
    await cache.store(
      miss.cacheQuery!,
      '{"data":{"provinces":[]}}',
      'max-age=60, public',
      ['places'],
      miss.cached?.gens,
    );
    const hit = await prepared(deps);
    const reply = await responseCache(hit, deps);
    expect(reply).toEqual({
      status: 200,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': expect.stringMatching(/^max-age=(59|60), private$/),
      },
      body: '{"data":{"provinces":[]}}',
    });
    expect(hit.audit.errorCodes).toEqual([]);
    expect(observed).toHaveLength(1);
  });

  it('neither answers nor stores an uncached internal request (an export page)', async () => {
    const cache = createResponseCache({
      mode: 'memory',
      maxBytes: 1 << 20,
      logger: pino({ level: 'silent' }),
    })!;
    const deps = pipelineDeps({ responseCache: cache });
    const miss = await prepared(deps);
    await responseCache(miss, deps);
    await cache.store(miss.cacheQuery!, '{"data":{}}', 'max-age=60', ['places'], miss.cached?.gens);
    expect(await responseCache(await prepared(deps), deps)).toBeDefined();
    const page = await prepared(deps, partner, true);
    expect(await responseCache(page, deps)).toBeUndefined();
    expect(page.cache).toBeUndefined();
  });
});
