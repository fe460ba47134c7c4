import { Worker } from 'node:worker_threads';

/**
 * A liveness answer that does not queue behind GraphQL work. `/healthz` on the public and
 * operator ports is served by the event loop that also parses, plans and merges: forty heavy
 * documents at once made it answer in 0.6 s on a quiet machine and in 3 s on a loaded one, long
 * enough for an orchestrator's probe to restart a gateway that was only busy. Here a worker
 * thread listens on a port of its own and answers at once, from a heartbeat the main thread
 * writes every 250 ms: 200 while the beat is fresh, 503 once it is older than `stallMs` (a loop
 * that is stuck, not busy). Apollo Router likewise answers health on a listener of its own.
 */
const WORKER_SOURCE = `
const { createServer } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const beat = new BigInt64Array(workerData.beat);
const server = createServer((req, res) => {
  const path = (req.url || '/').split('?')[0];
  const stalledMs = Date.now() - Number(Atomics.load(beat, 0));
  const ok = stalledMs <= workerData.stallMs;
  const status = path !== '/healthz' ? 404 : ok ? 200 : 503;
  const body = path !== '/healthz'
    ? { errors: [{ message: 'Not found: /healthz.', extensions: { code: 'NOT_FOUND' } }] }
    : ok ? { status: 'ok' } : { status: 'stalled', stalledMs };
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify(body));
});
server.requestTimeout = 5000;
server.headersTimeout = 5000;
server.on('error', (err) => parentPort.postMessage({ error: err.message }));
server.listen(workerData.port, workerData.host, () =>
  parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', () => server.close(() => parentPort.postMessage({ closed: true })));
`;

export interface Liveness {
  port: number;
  close(): Promise<void>;
}

const BEAT_MS = 250;

/**
 * The shortest `stallMs` (LIVENESS_STALL_MS): four beats. Below one beat the worker answered 503
 * between beats of a loop that was turning (11 of 60 probes of an idle gateway at 200 ms).
 */
export const MIN_STALL_MS = 4 * BEAT_MS;

export async function startLiveness(opts: {
  port: number;
  host: string;
  stallMs: number;
  /** A failure of the listener after it started (its probes then go unanswered). */
  onError?: (err: Error) => void;
}): Promise<Liveness> {
  const shared = new SharedArrayBuffer(8);
  const beat = new BigInt64Array(shared);
  const tick = () => Atomics.store(beat, 0, BigInt(Date.now()));
  tick();
  const timer = setInterval(tick, BEAT_MS);
  timer.unref();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { beat: shared, port: opts.port, host: opts.host, stallMs: opts.stallMs },
    resourceLimits: { maxOldGenerationSizeMb: 32 },
  });
  worker.unref();
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port?: number; error?: string }) =>
      m.port !== undefined ? resolve(m.port) : reject(new Error(`liveness listener: ${m.error}`)),
    );
    worker.once('error', reject);
  }).catch(async (err: unknown) => {
    clearInterval(timer);
    await worker.terminate();
    throw err;
  });
  // Not the gateway's failure: reported, never thrown into the main thread.
  worker.on('error', (err) => opts.onError?.(err));
  return {
    port,
    close: async () => {
      clearInterval(timer);
      const closed = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('close');
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1000).unref())]);
      await worker.terminate();
    },
  };
}
