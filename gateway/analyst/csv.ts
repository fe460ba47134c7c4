import type { IncomingMessage, ServerResponse } from 'node:http';
import { print } from 'graphql';
import type { CsvOperation } from './csv-operations.js';
import type { Reply } from '../pipeline/reply.js';
import type { Quota } from '../context.js';
import {
  collect,
  csvShape,
  CsvInputError,
  toCsv,
  variablesFromQuery,
  type CsvShape,
} from './csv-format.js';

/**
 * `GET /csv/<name>?<variables>`: runs a registered operation and answers RFC 4180 CSV with a
 * header row. `GET /csv` lists the operations. The operation runs in process through the same
 * pipeline as /graphql, with the caller's request: authentication, scopes, limits, the caller's
 * own quota (one unit per page), metrics and audit lines are those of a GraphQL request.
 */
export interface CsvExport {
  matches(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, path: string, requestId: string): Promise<void>;
}

export const CSV_PREFIX = '/csv';

const STATUS_OF_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  SUBGRAPH_UNAVAILABLE: 503,
};

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

class CsvFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super('csv failure');
  }
}

/** The client went away during a download: no page after it is fetched, nothing is sent. */
class CsvAbandoned extends Error {}

function failure(status: number, message: string, code: string, extra: object = {}) {
  return new CsvFailure(status, { errors: [{ message, extensions: { code, ...extra } }] });
}

/** The page's answer, or a 503 once `ms` have passed (the page runs on to its own timeout). */
async function withinDeadline<T>(page: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          failure(
            503,
            'The download took too long; try again later or narrow it down (a smaller region, a kind).',
            'SUBGRAPH_UNAVAILABLE',
          ),
        ),
      Math.max(0, ms),
    );
  });
  page.catch(() => undefined);
  try {
    return await Promise.race([page, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function createCsvExport(opts: {
  operations: Record<string, CsvOperation>;
  /** Runs a GraphQL request body for the caller of `req` (the gateway's pipeline). */
  execute: (
    req: IncomingMessage,
    requestId: string,
    body: Record<string, unknown>,
  ) => Promise<Reply>;
  maxRows: number;
  /** Longest a download may take, all its pages together (CSV_TIMEOUT_MS). */
  timeoutMs: number;
  /** The caller of `req`: its requests a minute and a day (0: no limit), and whether keyed. */
  callerOf?: (req: IncomingMessage) => Promise<{ quota: Quota; authenticated: boolean }>;
}): CsvExport {
  type Shape = CsvShape & { description: string; text: string; exists?: string[] };
  const shapes = new Map<string, Shape>();
  for (const [name, op] of Object.entries(opts.operations)) {
    const shape = csvShape(op.document, op.rows, op.paginate);
    // Printed once: the same text (and document hash) for every download.
    const text = print(shape.document);
    shapes.set(name, {
      description: op.description,
      ...shape,
      text,
      exists: op.exists?.split('.'),
    });
  }

  function index() {
    return {
      operations: [...shapes].map(([name, s]) => ({
        name,
        url: `${CSV_PREFIX}/${name}`,
        description: s.description,
        parameters: (s.operation.variableDefinitions ?? [])
          .filter((v) => v.variable.name.value !== 'after')
          .map((v) => ({ name: v.variable.name.value, type: print(v.type) })),
        columns: s.columns,
      })),
    };
  }

  async function execute(
    req: IncomingMessage,
    requestId: string,
    shape: CsvShape & { text: string },
    variables: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const res = await opts.execute(req, requestId, {
      query: shape.text,
      operationName: shape.operation.name?.value,
      variables,
    });
    const ok = res.status >= 200 && res.status < 300;
    let body: GraphQLBody;
    try {
      body = JSON.parse(res.body) as GraphQLBody;
    } catch {
      throw failure(
        502,
        'The GraphQL endpoint gave an unreadable answer.',
        'INTERNAL_SERVER_ERROR',
      );
    }
    // A CSV cannot carry errors beside its rows: any error fails the whole download.
    if (!ok || body.errors?.length || !body.data) {
      const code = body.errors?.[0]?.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
      const status = ok ? (STATUS_OF_CODE[code] ?? 500) : res.status;
      const passOn: Record<string, string> = {};
      for (const name of ['retry-after', 'www-authenticate']) {
        const value = res.headers[name];
        if (value) passOn[name] = value;
      }
      throw Object.assign(new CsvFailure(status, { errors: body.errors ?? [] }), { passOn });
    }
    return body.data;
  }

  // A page is a request of the caller's quota: a download needing more pages than the caller may
  // fetch in a minute (or a day) fails every time at the limit, each retry spending it again.
  async function fitsAWindow(req: IncomingMessage, total: number, pageRows: number) {
    const caller = await opts.callerOf?.(req).catch(() => undefined);
    if (!caller) return;
    const pages = Math.ceil(total / Math.max(1, pageRows));
    const windows = [
      [caller.quota.perMinute, 'a minute'],
      [caller.quota.perDay, 'a day'],
    ] as const;
    const [limit, per] = windows.find(([n]) => n > 0 && pages > n) ?? [0, ''];
    if (!limit) return;
    throw failure(
      400,
      `The download needs ${pages} requests (${pageRows} rows a page) and these credentials may make ${limit} ${per}; narrow it down (a smaller region, a kind)${caller.authenticated ? '' : ', use an API key'} or export the villages with POST /exports/villages, which can be resumed.`,
      'BAD_REQUEST',
    );
  }

  async function rowsOf(
    req: IncomingMessage,
    requestId: string,
    shape: Shape,
    variables: Record<string, unknown>,
    abandoned: () => boolean,
  ): Promise<unknown[]> {
    // Each page is bounded by the subgraph timeouts, but up to 100 pages follow one another:
    // the download as a whole is bounded too, and answers an error rather than wait on.
    const deadline = performance.now() + opts.timeoutMs;
    const rows: unknown[] = [];
    let after: string | null = null;
    for (;;) {
      // Each page is a request charged to the caller and holds one of its slots: none is
      // fetched for a client that has gone (it kept fetching up to CSV_MAX_ROWS rows).
      if (abandoned()) throw new CsvAbandoned();
      const data = await withinDeadline(
        execute(req, requestId, shape, shape.paginate ? { ...variables, after } : variables),
        deadline - performance.now(),
      );
      const page = collect(data, shape.rows);
      if (!page || (after === null && shape.exists && !collect(data, shape.exists))) {
        throw failure(404, 'Nothing was found for these parameters.', 'NOT_FOUND');
      }
      rows.push(...page);
      // The first page of a paged list tells its total: refused at once, not after every page.
      const total = shape.paginate && collect(data, [...shape.paginate, 'totalCount'])?.[0];
      if (rows.length > opts.maxRows || (typeof total === 'number' && total > opts.maxRows)) {
        throw failure(
          400,
          `The result has more than ${opts.maxRows} rows; narrow it down (a smaller region, a kind).`,
          'BAD_REQUEST',
        );
      }
      if (!shape.paginate) return rows;
      const info = (collect(data, [...shape.paginate, 'pageInfo'])?.[0] ?? {}) as {
        hasNextPage?: boolean;
        endCursor?: string | null;
      };
      if (!info.hasNextPage || !info.endCursor) return rows;
      if (after === null && typeof total === 'number') await fitsAWindow(req, total, page.length);
      after = info.endCursor;
    }
  }

  return {
    matches(path) {
      return path === CSV_PREFIX || path.startsWith(`${CSV_PREFIX}/`);
    },
    async handle(req, res, path, requestId) {
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'GET') {
        return json(405, failure(405, 'Use GET.', 'BAD_REQUEST').body, { allow: 'GET' });
      }
      if (path === CSV_PREFIX || path === `${CSV_PREFIX}/`) return json(200, index());
      let name: string;
      try {
        name = decodeURIComponent(path.slice(CSV_PREFIX.length + 1)).replace(/\.csv$/, '');
      } catch {
        return json(400, failure(400, 'Malformed URL.', 'BAD_REQUEST').body);
      }
      const shape = shapes.get(name);
      try {
        if (!shape) {
          throw failure(
            404,
            `No CSV operation "${name}"; GET ${CSV_PREFIX} lists them.`,
            'NOT_FOUND',
          );
        }
        const params = new URL(req.url ?? '/', 'http://gateway').searchParams;
        let variables: Record<string, unknown>;
        try {
          variables = variablesFromQuery(shape.operation, params);
        } catch (err) {
          if (!(err instanceof CsvInputError)) throw err;
          throw failure(400, err.message, 'BAD_USER_INPUT', { field: err.field });
        }
        const abandoned = () => res.destroyed || req.socket.destroyed;
        const rows = await rowsOf(req, requestId, shape, variables, abandoned);
        const csv = toCsv(shape.columns, rows);
        const suffix = Object.values(variables)
          .flat()
          .join('-')
          .replace(/[^\w.-]/g, '_');
        res.writeHead(200, {
          'content-type': 'text/csv; charset=utf-8; header=present',
          'content-disposition': `attachment; filename="${name}${suffix ? `-${suffix}` : ''}.csv"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        });
        res.end(csv);
      } catch (err) {
        if (err instanceof CsvAbandoned) return;
        if (!(err instanceof CsvFailure)) throw err;
        json(
          err.status,
          err.body,
          (err as CsvFailure & { passOn?: Record<string, string> }).passOn,
        );
      }
    },
  };
}
