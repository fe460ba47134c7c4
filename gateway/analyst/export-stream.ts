import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { createGzip, type Gzip } from 'node:zlib';
import { accepted } from '../http.js';

/** The NDJSON body of an export being sent: lines in, backpressure and the client's pace out. */
export interface ExportStream {
  /**
   * Sends text; resolves when the client has taken it (or the buffers have room). False once
   * the client is gone or has taken nothing for `sendTimeoutMs`: the response is then cut.
   */
  write(text: string): Promise<boolean>;
  end(): void;
  /** Aborted when the client leaves before the end (the export stops its pages). */
  readonly stopped: AbortSignal;
}

/**
 * Starts the 200 NDJSON response (gzip when accepted). A client that stops reading while its
 * buffers are full holds an export slot (EXPORT_MAX_PER_CALLER, EXPORT_MAX_TOTAL) for as long as
 * it likes unless the wait is bounded: as nginx's `send_timeout`, a write the client does not
 * take within `sendTimeoutMs` cuts the response with a TCP reset, which frees the slot and the
 * data still queued for the client.
 */
export function openExportStream(
  req: IncomingMessage,
  res: ServerResponse,
  sendTimeoutMs: number,
): ExportStream {
  const stopped = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) stopped.abort();
  });
  const gzip = accepted(req.headers['accept-encoding']).has('gzip');
  res.writeHead(200, {
    'content-type': 'application/x-ndjson; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    vary: 'Accept-Encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  let sink: Gzip | ServerResponse = res;
  if (gzip) {
    sink = createGzip({ level: 1 });
    pipeline(sink, res, () => {});
  }
  const out = sink;
  return {
    stopped: stopped.signal,
    async write(text) {
      if (stopped.signal.aborted) return false;
      const cut = () => {
        stopped.abort();
        // A reset, not a FIN (nginx's reset_timedout_connection): what the client did not take
        // is dropped by the kernel at once rather than kept queued for minutes.
        res.socket?.resetAndDestroy();
        res.destroy();
        return false;
      };
      out.write(text);
      // gzip's flush waits too while the client reads nothing: bounded the same way.
      if (gzip) {
        const flushed = new Promise<void>((resolve) => (out as Gzip).flush(() => resolve()));
        if (!(await within(flushed, sendTimeoutMs, stopped.signal))) return cut();
      }
      // Checked after the flush: a 'drain' emitted during it must not be waited for.
      if (out.writableNeedDrain && !stopped.signal.aborted) {
        if (!(await within(once(out, 'drain'), sendTimeoutMs, stopped.signal))) return cut();
      }
      return !stopped.signal.aborted;
    },
    end: () => out.end(),
  };
}

/**
 * Whether `wait` settles within `ms`, and before `signal` aborts. A plain timer, not
 * `AbortSignal.any([signal, AbortSignal.timeout(ms)])`: `any` holds its sources weakly, and a
 * timeout signal nothing else holds can be collected before it fires (then the wait had no
 * bound; export-stream.test.ts caught it).
 */
export function within(wait: Promise<unknown>, ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(false), ms);
    signal.addEventListener('abort', onAbort, { once: true });
    wait.then(
      () => done(true),
      () => done(false),
    );
  });
}
