import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { AuthError } from '../auth/auth.js';
import { RequestRejection } from '../operations/limits.js';
import type { BodyBudget } from '../body-budget.js';
import type { Identity } from '../context.js';
import {
  codesBatchDocument,
  codesBatchLines,
  documentsByName,
  regionPageDocument,
  regionPageLines,
  type PageError,
  type VillageLine,
} from './export-documents.js';
import {
  BadExport,
  parseExportRequest,
  type ExportRequest,
  type ExportSettings,
} from './export-request.js';

export type { ExportSettings } from './export-request.js';
import type { Reply } from '../pipeline/reply.js';
import { BodyNotUtf8Error, errorBody, readBody, sendJson, unsupportedBody } from '../http.js';
import { createExportSlots, freeWhenLeft } from './export-slots.js';
import { openExportStream } from './export-stream.js';

/**
 * `POST /exports/villages`: every village of a region (or a list of codes) with the caller's
 * selection, as NDJSON streamed page by page. Each page runs in process through the same
 * pipeline as /graphql with the caller's request (credentials, scopes, quota — one unit per page —
 * limits, metrics, audit), so an export answers exactly what /graphql would. See docs/partners.md.
 */
export const EXPORTS_PATH = '/exports/villages';

/** Codes of a first page refused for its size: the export retries it with half the villages. */
const SIZE_CODES = new Set(['COST_LIMIT_EXCEEDED', 'ALIAS_LIMIT_EXCEEDED', 'TOKEN_LIMIT_EXCEEDED']);

/** The HTTP status of a page that answered no villages, by its first error's code. */
const STATUS_OF_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  SUBGRAPH_UNAVAILABLE: 503,
};

/** A page with no villages: at the start a 4xx is the response; else the export's last line. */
class PageFailure extends Error {
  constructor(
    readonly status: number,
    readonly errors: PageError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors[0]?.message ?? 'export page failed');
  }
  get code(): string {
    return String(this.errors[0]?.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  }
}

/** The last line of an export that cannot go on: why, and where to resume. */
function stopLine(err: PageFailure, cursor: string | undefined, count: number): string {
  const retryAfter = err.headers['retry-after'];
  const error = {
    code: err.code,
    message: err.errors[0]?.message ?? 'The export stopped.',
    ...(retryAfter ? { retryAfter: Number(retryAfter) } : {}),
  };
  return `${JSON.stringify({ error, ...(cursor ? { cursor } : {}), count })}\n`;
}

export function createVillageExports(opts: {
  /** Runs a GraphQL body for the caller of `req` (the gateway's pipeline and audit line). */
  execute: (
    req: IncomingMessage,
    requestId: string,
    body: Record<string, unknown>,
    fromTrusted: boolean,
  ) => Promise<Reply>;
  authenticate: (req: IncomingMessage) => Promise<Identity>;
  /** Trusted documents' texts (`document` names one by its operation name). */
  trusted: Iterable<string>;
  settings: ExportSettings;
  /** Lets the change feed see its end once the pages are read (export-feed.ts). */
  markFeedEnd?: () => Promise<boolean>;
  /** Request-body bytes read at once, with /graphql's (body-budget.ts). */
  bodies?: BodyBudget;
  logger: Logger;
}) {
  const { settings } = opts;
  const named = documentsByName(opts.trusted);
  const slots = createExportSlots(settings);
  /** One page: its lines and where the next starts, or a PageFailure. */
  async function runPage(
    req: IncomingMessage,
    requestId: string,
    ex: ExportRequest,
    size: number,
    after: string | undefined,
    later = false,
  ): Promise<{ lines: VillageLine[]; next: string | undefined }> {
    const batch = ex.codes?.filter((c) => after === undefined || c > after).slice(0, size);
    if (batch?.length === 0) return { lines: [], next: undefined }; // resumed after the last code
    const body = batch
      ? {
          query: codesBatchDocument(ex.sel, batch.length),
          operationName: 'VillageExportCodes',
          variables: Object.fromEntries(batch.map((c, i) => [`c${i}`, c])),
        }
      : {
          query: regionPageDocument(ex.sel),
          operationName: 'VillageExport',
          variables: {
            regionCode: ex.regionCode,
            first: size,
            after: after ?? null,
            withRegion: !later,
          },
        };
    const reply = await opts.execute(req, requestId, body, ex.fromTrusted);
    let parsed: { data?: unknown; errors?: PageError[] };
    try {
      parsed = JSON.parse(reply.body) as typeof parsed;
    } catch {
      throw new PageFailure(502, errorBody('Unreadable page.', 'INTERNAL_SERVER_ERROR').errors);
    }
    const errors = parsed.errors ?? [];
    if (reply.status !== 200) {
      const passOn: Record<string, string> = {};
      for (const name of ['retry-after', 'www-authenticate']) {
        if (reply.headers[name]) passOn[name] = reply.headers[name];
      }
      throw new PageFailure(reply.status, errors.map(withoutLocations), passOn);
    }
    if (batch) {
      const lines = codesBatchLines(batch, parsed as Parameters<typeof codesBatchLines>[1]);
      if (!lines) throw failureOf(errors);
      const last = batch[batch.length - 1];
      return { lines, next: ex.codes!.some((c) => c > last) ? last : undefined };
    }
    const page = regionPageLines(parsed as Parameters<typeof regionPageLines>[0]);
    if (!page || 'missing' in page) throw failureOf(page?.missing ?? errors);
    return { lines: page.lines, next: page.next ?? undefined };
  }

  /** A page's failure as such; anything else is logged and becomes INTERNAL_SERVER_ERROR. */
  function pageFailure(err: unknown, requestId: string): PageFailure {
    if (err instanceof PageFailure) return err;
    opts.logger.error({ err, requestId }, 'export page failed');
    const message = `The export stopped on an internal error (request ${requestId}).`;
    return new PageFailure(500, errorBody(message, 'INTERNAL_SERVER_ERROR').errors);
  }

  function failureOf(errors: PageError[]): PageFailure {
    const code = String(errors[0]?.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    return new PageFailure(STATUS_OF_CODE[code] ?? 500, errors.map(withoutLocations));
  }

  /** The first page, halving its size while the page itself is refused as too large. */
  async function firstPage(req: IncomingMessage, requestId: string, ex: ExportRequest) {
    let size = settings.pageSize;
    if (ex.codes && settings.maxAliases > 0) {
      size = Math.max(1, Math.min(size, settings.maxAliases - ex.sel.aliases));
    }
    for (;;) {
      try {
        return { size, page: await runPage(req, requestId, ex, size, ex.after) };
      } catch (err) {
        if (!(err instanceof PageFailure) || !SIZE_CODES.has(err.code) || size === 1) throw err;
        size = Math.ceil(size / 2);
      }
    }
  }

  async function stream(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    ex: ExportRequest,
  ) {
    let started: Awaited<ReturnType<typeof firstPage>>;
    try {
      started = await firstPage(req, requestId, ex);
    } catch (err) {
      // A valid export whose first page failed on the gateway's side (a subgraph down, an
      // unexpected error) stops as it would later in the stream (200, its last line), not 5xx.
      if (err instanceof PageFailure && err.status < 500) throw err;
      const out = openExportStream(req, res, settings.sendTimeoutMs);
      await out.write(stopLine(pageFailure(err, requestId), ex.after, 0));
      return out.end();
    }
    const { size, page: first } = started;
    const out = openExportStream(req, res, settings.sendTimeoutMs);
    const write = (text: string) => out.write(text);
    let count = 0;
    let page = first;
    let cursor = ex.after;
    for (;;) {
      const text = page.lines.map((l) => `${JSON.stringify(l)}\n`).join('');
      count += page.lines.length;
      cursor = page.lines.at(-1)?.cursor ?? cursor;
      if (!(await write(text))) return;
      if (page.next === undefined) break;
      try {
        page = await runPage(req, requestId, ex, size, page.next, true);
      } catch (err) {
        // Past the first line the status is sent: whatever stopped the export, its last line
        // says so (as a `done` line would), with the cursor to resume from.
        await write(stopLine(pageFailure(err, requestId), cursor, count));
        out.end();
        return;
      }
      if (out.stopped.aborted) return;
    }
    // Not done until places has seen the changes whose data went out (export-feed.ts).
    if (opts.markFeedEnd && !(await opts.markFeedEnd())) {
      const message = 'The change feed could not be marked; resume with the cursor.';
      const failure = new PageFailure(503, errorBody(message, 'SUBGRAPH_UNAVAILABLE').errors);
      await write(stopLine(failure, cursor, count));
      return out.end();
    }
    await write(`${JSON.stringify({ done: true, count })}\n`);
    out.end();
  }

  return {
    matches: (path: string) => path === EXPORTS_PATH,
    /** Exports running now (for tests and metrics). */
    running: () => slots.total(),
    async handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
      if (req.method !== 'POST') {
        return sendJson(res, 405, errorBody('Use POST.', 'BAD_REQUEST'), { allow: 'POST' });
      }
      const unsupported = unsupportedBody(req);
      if (unsupported) return sendJson(res, 415, errorBody(unsupported, 'BAD_REQUEST'));
      let identity: Identity;
      try {
        identity = await opts.authenticate(req);
      } catch (err) {
        if (err instanceof RequestRejection) {
          return sendJson(res, err.status, errorBody(err.message, err.code), err.headers);
        }
        if (!(err instanceof AuthError)) throw err;
        return sendJson(res, 401, errorBody(err.message, err.code), {
          'www-authenticate': 'Bearer, ApiKey header="x-api-key"',
        });
      }
      let ex: ExportRequest;
      try {
        let raw: unknown;
        try {
          raw = JSON.parse(await readBody(req, settings.maxBodyBytes, opts.bodies, identity.id));
        } catch (err) {
          if (err instanceof SyntaxError)
            throw new BadExport('BAD_REQUEST', 'Malformed JSON body.');
          if (err instanceof BodyNotUtf8Error) throw new BadExport('BAD_REQUEST', err.message);
          throw err;
        }
        ex = parseExportRequest(raw, settings, named);
      } catch (err) {
        if (!(err instanceof BadExport)) throw err;
        const extra = err.field ? { field: err.field } : {};
        return sendJson(res, 400, errorBody(err.message, err.code, extra));
      }
      const slot = slots.acquire(identity);
      if (typeof slot === 'string') {
        const mine = slot === 'EXPORT_CONCURRENCY_LIMITED';
        const message = mine
          ? `At most ${settings.maxPerCaller} exports run at once for one caller.`
          : 'The gateway runs as many exports as it takes; try again shortly.';
        // 429 either way: load shedding of a valid request is no server error (as BODIES_BUSY).
        return sendJson(res, 429, errorBody(message, slot), { 'retry-after': '5' });
      }
      const unwatch = freeWhenLeft(res, slot);
      try {
        await stream(req, res, requestId, ex);
      } catch (err) {
        if (!(err instanceof PageFailure)) throw err;
        if (res.headersSent) return void res.end();
        sendJson(res, err.status, { errors: err.errors }, err.headers);
      } finally {
        unwatch();
        slot.end();
        if (!res.writableEnded && res.headersSent) opts.logger.debug({ requestId }, 'export cut');
      }
    },
  };
}

function withoutLocations(e: PageError): PageError {
  const { locations: _locations, ...rest } = e;
  return rest;
}
