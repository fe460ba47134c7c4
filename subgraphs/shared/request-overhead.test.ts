import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGreetingServer } from './fixtures.js';
import type { RunningServer } from './server.js';
import { withServerSpan } from './tracing.js';

describe('tracing off', () => {
  it('runs a request without a span or a listener on the response', async () => {
    const res = new EventEmitter() as unknown as ServerResponse;
    const req = { method: 'POST', headers: {} } as IncomingMessage;
    expect(await withServerSpan(req, res, {}, async () => 'ran')).toBe('ran');
    expect(res.listenerCount('close')).toBe(0);
  });
});

describe("the gateway's Accept", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startGreetingServer('accept');
  });
  afterAll(() => server.close());

  const post = async (accept?: string) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) },
      body: JSON.stringify({ query: '{ greeting }' }),
    });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };

  it('is answered as Apollo Server answers it; other Accept headers are negotiated', async () => {
    const plain = await post();
    expect(plain).toEqual({
      status: 200,
      type: 'application/json; charset=utf-8',
      body: '{"data":{"greeting":"hello"}}\n',
    });
    expect(await post('application/json')).toEqual(plain);
    expect(await post('application/json, */*')).toEqual(plain);
    expect((await post('application/graphql-response+json')).type).toBe(
      'application/graphql-response+json; charset=utf-8',
    );
    expect((await post('text/plain')).status).toBe(406);
  });
});
