import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { downstreamError, nameFetch, SubgraphFetcher } from './subgraph-fetch.js';

describe('subgraph fetches of the Rust runtime', () => {
  it('names planned fetches as @apollo/gateway does, counting per incoming document', () => {
    const incoming = { operationName: 'Profile', document: parse('query Profile { a }') };
    const indexes = new WeakMap();
    const first = nameFetch(parse('{ a }'), incoming, 'culture', indexes);
    const second = nameFetch(parse('{ b }'), incoming, 'health-care', indexes);
    expect(first.operationName).toBe('Profile__culture__0');
    expect(first.query).toBe(print(parse('query Profile__culture__0 { a }')));
    expect(second.operationName).toBe('Profile__health_care__1');
    const anonymous = nameFetch(parse('{ a }'), { ...incoming, operationName: null }, 'c', indexes);
    expect(anonymous).toEqual({ query: print(parse('{ a }')) });
  });

  it('passes a subgraph error on with its code, or DOWNSTREAM_SERVICE_ERROR', () => {
    const coded = downstreamError(
      { message: 'bad', path: ['a'], extensions: { code: 'BAD_USER_INPUT' } },
      'culture',
    );
    expect(coded.extensions).toEqual({ code: 'BAD_USER_INPUT', serviceName: 'culture' });
    expect(coded.path).toEqual(['a']);
    const bare = downstreamError({ message: '' }, 'culture');
    expect(bare.message).toBe('Error while fetching subquery from service "culture"');
    expect(bare.extensions.code).toBe('DOWNSTREAM_SERVICE_ERROR');
  });

  it('prints each planned fetch once, counts fetches and marks errors', async () => {
    const sent: { query?: string; operationName?: string }[] = [];
    const source = {
      process: async (o: { request: { query?: string; operationName?: string } }) => {
        sent.push(o.request);
        return sent.length === 1 ? { data: { a: 1 } } : { errors: [{ message: 'x' }] };
      },
    };
    const sources = new Map([['culture', source as never]]);
    const incoming = { operationName: 'P', document: parse('query P { a }') };
    const context = { gateway: { requestId: 'r' }, request: incoming as never, fetches: 0 };
    const planned = { document: parse('{ a }'), context };
    const fetcher = new SubgraphFetcher();
    expect(await fetcher.fetch(sources, 'culture', planned)).toEqual({ data: { a: 1 } });
    const failed = await fetcher.fetch(sources, 'culture', planned);
    expect(failed.errors?.[0].extensions?.code).toBe('DOWNSTREAM_SERVICE_ERROR');
    expect(sent.map((r) => r.operationName)).toEqual(['P__culture__0', 'P__culture__0']);
    expect(context.fetches).toBe(2);
    await expect(fetcher.fetch(sources, 'places', planned)).rejects.toThrow(/Unknown subgraph/);
  });

  it('traces a fetch with the provider registered now, not one registered before', async () => {
    const sources = new Map([['culture', { process: async () => ({ data: { a: 1 } }) } as never]]);
    const incoming = { operationName: 'P', document: parse('query P { a }') };
    const context = { gateway: { requestId: 'r' }, request: incoming as never, fetches: 0 };
    const planned = { document: parse('{ a }'), context };
    const fetcher = new SubgraphFetcher();
    const register = () => {
      const exporter = new InMemorySpanExporter();
      const provider = new BasicTracerProvider({
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      });
      trace.setGlobalTracerProvider(provider);
      return { exporter, provider };
    };
    // Tracing on, off and on again in one process, as test files in one worker do.
    const first = register();
    await fetcher.fetch(sources, 'culture', planned);
    trace.disable();
    await first.provider.shutdown();
    const second = register();
    try {
      await fetcher.fetch(sources, 'culture', planned);
      expect(second.exporter.getFinishedSpans().map((s) => s.name)).toEqual(['gateway.fetch']);
    } finally {
      trace.disable();
      await second.provider.shutdown();
    }
  });
});
