import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingProxy {
  url: string;
  /** Requests kept waiting, each passed on when called. */
  held: (() => void)[];
  /** Passes every request kept waiting on. */
  release: () => void;
  close: () => Promise<void>;
}

/**
 * A real HTTP hop to a subgraph that keeps the requests whose body holds `marker` waiting until
 * released, and passes the others on at once.
 */
export async function startHoldingProxy(target: string, marker: string): Promise<HoldingProxy> {
  const held: (() => void)[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const pass = async () => {
        const headers = { ...req.headers } as Record<string, string>;
        delete headers.host;
        delete headers['content-length'];
        try {
          const answer = await fetch(target, { method: 'POST', headers, body });
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(Buffer.from(await answer.arrayBuffer()));
        } catch {
          res.destroy();
        }
      };
      if (body.toString('utf8').includes(marker)) held.push(() => void pass());
      else void pass();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const release = () => {
    for (const go of held.splice(0)) go();
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    held,
    release,
    close: () => {
      release();
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
