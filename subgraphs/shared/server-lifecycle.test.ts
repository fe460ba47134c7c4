import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createSubgraphServer, READY_TIMEOUT_MS } from './server.js';

// Apollo Server loads graphql's CommonJS build; a schema from the ESM build would be foreign to it.
const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/** A server whose one field answers after `delayMs`, and whose database check is `ready`. */
function serve(ready: () => Promise<void>, delayMs = 0) {
  const schema = new graphql.GraphQLSchema({
    query: new graphql.GraphQLObjectType({
      name: 'Query',
      fields: {
        slow: {
          type: graphql.GraphQLString,
          resolve: () => new Promise((r) => setTimeout(() => r('done'), delayMs)),
        },
      },
    }),
  });
  return createSubgraphServer({
    name: 'lifecycle',
    schema,
    logger: pino({ level: 'silent' }),
    createContext: () => ({}),
    ready,
  }).listen(0);
}

describe('subgraph server lifecycle', () => {
  it('answers /readyz 503 in bounded time when the database does not answer', async () => {
    const running = await serve(() => new Promise(() => {}));
    try {
      const started = performance.now();
      const res = await fetch(running.url.replace('/graphql', '/readyz'));
      expect(res.status).toBe(503);
      expect(performance.now() - started).toBeLessThan(READY_TIMEOUT_MS + 1_500);
    } finally {
      await running.close();
    }
  });

  it('closes a keep-alive connection that goes idle during close, without waiting for it', async () => {
    const running = await serve(async () => {}, 300);
    const agent = new Agent({ keepAlive: true });
    const post = () =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          running.url,
          { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ query: '{ slow }' }));
      });
    const answered = post();
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await running.close();
    expect(await answered).toBe(200);
    // The keep-alive socket went idle after close began: closed at once, not after 65 s.
    expect(performance.now() - started).toBeLessThan(3_000);
    agent.destroy();
  });
});
