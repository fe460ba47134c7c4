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
  /**
   * `up` while a worker listens; `restarting` between a worker's death and its successor
   * listening; `down` once the restarts are spent (probes on `port` then go unanswered, and the
   * orchestrator restarts the gateway).
   */
  state(): 'up' | 'restarting' | 'down';
  /** Workers started again after one died, so far. */
  restarts(): number;
  /** Ends the current worker thread as a crash would (fault tests). */
  kill(): Promise<void>;
  close(): Promise<void>;
}

const BEAT_MS = 250;

/**
 * The shortest `stallMs` (LIVENESS_STALL_MS): four beats. Below one beat the worker answered 503
 * between beats of a loop that was turning (11 of 60 probes of an idle gateway at 200 ms).
 */
export const MIN_STALL_MS = 4 * BEAT_MS;

/**
 * A dead worker is started again after RESTART_BASE_MS, doubling up to RESTART_MAX_MS, at most
 * MAX_RESTARTS times in a row; a worker that lived STABLE_MS starts the count afresh (as a
 * supervisor's restart intensity). Past that the listener stays down: something keeps killing
 * it, and the probe failing lets the orchestrator replace the process.
 */
export const RESTART_BASE_MS = 100;
const RESTART_MAX_MS = 5_000;
export const MAX_RESTARTS = 5;
const STABLE_MS = 60_000;

interface WorkerOpts {
  port: number;
  host: string;
  stallMs: number;
  beat: SharedArrayBuffer;
}

/** A worker listening on `port`; rejects if it cannot (the port taken). */
async function spawnWorker(opts: WorkerOpts): Promise<{ worker: Worker; port: number }> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: opts,
    resourceLimits: { maxOldGenerationSizeMb: 32 },
  });
  worker.unref();
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port?: number; error?: string }) =>
      m.port !== undefined ? resolve(m.port) : reject(new Error(`liveness listener: ${m.error}`)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`liveness listener exited (${code})`)));
  }).catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });
  return { worker, port };
}

export async function startLiveness(opts: {
  port: number;
  host: string;
  stallMs: number;
  /** A failure of the listener after it started (it is then started again, bounded). */
  onError?: (err: Error) => void;
}): Promise<Liveness> {
  const shared = new SharedArrayBuffer(8);
  const beat = new BigInt64Array(shared);
  const tick = () => Atomics.store(beat, 0, BigInt(Date.now()));
  tick();
  const timer = setInterval(tick, BEAT_MS);
  timer.unref();
  const { port, host, stallMs } = opts; // workerData: no function may reach the thread
  const first = await spawnWorker({ port, host, stallMs, beat: shared }).catch((err: unknown) => {
    clearInterval(timer);
    throw err;
  });
  // Its successors listen where the probes look: the port the first one got.
  const workerOpts: WorkerOpts = { port: first.port, host, stallMs, beat: shared };
  let worker: Worker | undefined;
  let state: 'up' | 'restarting' | 'down' = 'up';
  let closing = false;
  let restarts = 0;
  let inARow = 0;
  let retry: NodeJS.Timeout | undefined;

  const watch = (w: Worker) => {
    worker = w;
    state = 'up';
    const bornAt = Date.now();
    // Not the gateway's failure: reported, never thrown into the main thread.
    w.on('error', (err) => opts.onError?.(err));
    w.once('exit', (code) => {
      if (closing) return;
      worker = undefined;
      if (Date.now() - bornAt >= STABLE_MS) inARow = 0;
      opts.onError?.(new Error(`liveness listener exited (${code})`));
      restartLater();
    });
  };
  const restartLater = () => {
    if (inARow >= MAX_RESTARTS) {
      state = 'down';
      opts.onError?.(new Error(`liveness listener down: ${MAX_RESTARTS} restarts in a row`));
      return;
    }
    state = 'restarting';
    const wait = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** inARow);
    inARow += 1;
    retry = setTimeout(() => {
      retry = undefined;
      spawnWorker(workerOpts).then(
        ({ worker: w }) => {
          restarts += 1;
          if (closing) void w.terminate();
          else watch(w);
        },
        (err: Error) => {
          opts.onError?.(err);
          if (!closing) restartLater();
        },
      );
    }, wait);
    retry.unref();
  };
  watch(first.worker);

  return {
    port: first.port,
    state: () => state,
    restarts: () => restarts,
    kill: async () => {
      await worker?.terminate();
    },
    close: async () => {
      closing = true;
      clearInterval(timer);
      clearTimeout(retry);
      const w = worker;
      if (!w) return;
      const closed = new Promise((resolve) => w.once('message', resolve));
      w.postMessage('close');
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1000).unref())]);
      await w.terminate();
    },
  };
}
