import type { IncomingMessage } from 'node:http';
import type { AuditEntry } from '../observability/audit.js';
import { AuthError, INTROSPECT_SCOPE } from '../auth/auth.js';
import { CallerSlots } from '../caller-slots.js';
import type { Identity } from '../context.js';
import { errorBody } from '../http.js';
import { RequestRejection } from '../operations/limits.js';
import { authorization } from './authorization.js';
import { body } from './body.js';
import { slots } from './slots.js';
import { conditions } from './conditions.js';
import { cost } from './cost.js';
import { credentials } from './credentials.js';
import { document } from './document.js';
import { execute } from './execute.js';
import { operation } from './operation.js';
import { admit, quota } from './quota.js';
import {
  answerMediaType,
  inMediaType,
  json,
  rejectionReply,
  withoutSuggestions,
  type Reply,
} from './reply.js';
import { responseCache } from './response-cache.js';
import { transport } from './transport.js';
import type {
  InternalRequest,
  OperationStage,
  PipelineDeps,
  RequestStage,
  RequestState,
} from './types.js';
import { need } from './types.js';

/** The stages every HTTP request passes, in order, before its operation(s) run. */
export const REQUEST_STAGES: readonly RequestStage[] = [
  transport,
  credentials,
  slots,
  quota,
  body,
  admit,
];

/** The stages each operation (each one of a batch) passes, in order; `execute` always answers. */
export const OPERATION_STAGES: readonly OperationStage[] = [
  operation,
  document,
  conditions,
  cost,
  authorization,
  responseCache,
  execute,
];

async function runStages<S>(
  stages: readonly ((s: S, d: PipelineDeps) => Reply | undefined | Promise<Reply | undefined>)[],
  state: S,
  deps: PipelineDeps,
): Promise<Reply | undefined> {
  for (const stage of stages) {
    const reply = await stage(state, deps);
    if (reply) return reply;
  }
  return undefined;
}

/** One operation through the operation stages. */
async function runOperation(
  state: RequestState,
  identity: Identity,
  raw: unknown,
  deps: PipelineDeps,
): Promise<Reply> {
  const op = {
    req: state.req,
    requestId: state.requestId,
    audit: state.audit,
    method: state.method,
    identity,
    internal: state.internal !== undefined,
    uncached: state.internal?.uncached === true,
    raw,
    startedAt: performance.now(),
  };
  const reply = await runStages(OPERATION_STAGES, op, deps);
  return need(reply, 'an answer (execute is the last stage)');
}

/**
 * A batch (a JSON array), bounded and counted against the quota by the admit stage (quota.ts):
 * each operation answered in its place (a rejected one as its errors).
 */
async function runBatch(
  state: RequestState,
  identity: Identity,
  raw: unknown[],
  deps: PipelineDeps,
): Promise<Reply> {
  const replies: unknown[] = [];
  for (const one of raw) {
    try {
      replies.push(JSON.parse((await runOperation(state, identity, one, deps)).body));
    } catch (err) {
      if (!(err instanceof RequestRejection || err instanceof AuthError)) throw err;
      replies.push(errorBody(err.message, err.code));
    }
  }
  return json(200, replies);
}

/**
 * The request pipeline in front of Apollo Server: REQUEST_STAGES (method and CSRF 405/400,
 * credentials 401, the caller's requests in flight 429, quota 429, body 413/400, the request's
 * operations counted against the quota 429, a batch bounded 400), then
 * OPERATION_STAGES for the operation or each one of a batch (shape, document: APQ, trusted
 * documents, parse and validation 400; cost 400; authorization: fields removed with FORBIDDEN at
 * their paths; response cache; execution).
 * Rejections become their replies here; only unexpected errors throw.
 */
export function createPipeline(given: PipelineDeps) {
  const deps: PipelineDeps = {
    ...given,
    callerSlots: given.callerSlots ?? CallerSlots.of(given.config.maxInFlightPerCaller),
  };
  async function runUnfiltered(state: RequestState): Promise<Reply> {
    try {
      const early = await runStages(REQUEST_STAGES, state, deps);
      if (early) return early;
      const identity = need(state.identity, 'identity');
      if (Array.isArray(state.raw)) return await runBatch(state, identity, state.raw, deps);
      // An export page built from a trusted document runs for trusted-documents-only callers.
      const effective = state.internal?.fromTrusted
        ? { ...identity, trustedDocumentsOnly: false }
        : identity;
      return await runOperation(state, effective, state.raw, deps);
    } catch (err) {
      const reply = rejectionReply(err);
      if (reply) return reply;
      throw err;
    }
  }

  /**
   * Runs a request; fills `audit` with what it learns on the way. `internal` is an operation
   * the gateway runs for the caller (a CSV download or an export page). Only unexpected errors
   * throw.
   */
  return async function run(
    req: IncomingMessage,
    requestId: string,
    audit: Partial<AuditEntry>,
    internal?: InternalRequest,
  ): Promise<Reply> {
    let suggestions = deps.config.fieldSuggestions;
    const state: RequestState = {
      req,
      requestId,
      audit,
      internal,
      method: internal ? 'POST' : (req.method ?? 'GET'),
      identified: (identity) => {
        suggestions ||= identity.scopes.includes(INTROSPECT_SCOPE);
      },
    };
    let reply: Reply;
    try {
      reply = await runUnfiltered(state);
    } finally {
      state.releaseSlot?.();
    }
    const shown = suggestions ? reply : withoutSuggestions(reply);
    return internal ? shown : inMediaType(shown, answerMediaType(req.headers.accept));
  };
}
