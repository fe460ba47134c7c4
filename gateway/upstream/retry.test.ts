import { describe, expect, it } from 'vitest';
import type { BreakerPermit } from './breaker.js';
import type { SubgraphHttpResponse } from './http.js';
import { withRetries, type Send } from './retry.js';

const quiet = { warn: () => {} };
const labels = { subgraph: 'culture' };
const policy = { timeoutMs: 1_000, retries: 2, backoffMs: 1 };
const ok: SubgraphHttpResponse = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"data":{"a":1}}',
};

function permit() {
  const calls: string[] = [];
  const p: BreakerPermit = {
    success: () => calls.push('success'),
    failure: () => calls.push('failure'),
    release: () => calls.push('release'),
  };
  return { p, calls };
}

/** A subgraph answering from a script: each entry is an answer or an error to throw. */
function scripted(...answers: (SubgraphHttpResponse | Error)[]) {
  const sent: number[] = [];
  const send: Send = async (remainingMs) => {
    sent.push(remainingMs);
    const next = answers.shift() ?? ok;
    if (next instanceof Error) throw next;
    return next;
  };
  return { send, sent };
}

describe('timeout and retry layer', () => {
  it('retries a failed query, then reports success', async () => {
    const { send, sent } = scripted(new Error('ECONNRESET'), { ...ok, status: 502, body: '' });
    const { p, calls } = permit();
    const settled = await withRetries(send, policy, false, p, quiet, labels);
    expect(settled).toMatchObject({ ok: true, parsed: { data: { a: 1 } } });
    expect(sent).toHaveLength(3);
    expect(sent.every((ms) => ms > 0 && ms <= 1_000)).toBe(true);
    expect(calls).toEqual(['success']);
  });

  it('never retries a mutation', async () => {
    const { send, sent } = scripted(new Error('ECONNRESET'));
    const { p, calls } = permit();
    expect(await withRetries(send, policy, true, p, quiet, labels)).toEqual({ ok: false });
    expect(sent).toHaveLength(1);
    expect(calls).toEqual(['failure']);
  });

  it('stops at the retry budget, and answers that are not GraphQL JSON count as failures', async () => {
    const html = { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>' };
    const { send, sent } = scripted(html, { ...ok, body: '{"data"' }, { ...ok, body: '[1]' });
    const { p, calls } = permit();
    expect(await withRetries(send, policy, false, p, quiet, labels)).toEqual({ ok: false });
    expect(sent).toHaveLength(3);
    expect(calls).toEqual(['failure']);
  });

  it('does not retry past the deadline', async () => {
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    const { send, sent } = scripted(timeout);
    const { p } = permit();
    expect(await withRetries(send, policy, false, p, quiet, labels)).toEqual({ ok: false });
    expect(sent).toHaveLength(1);
  });

  it('passes a 4xx for the caller on as a refusal: not retried, the permit released', async () => {
    const res = {
      status: 422,
      headers: { 'content-type': 'application/json' },
      body: '{"errors":[{"message":"reused","extensions":{"code":"IDEMPOTENCY_KEY_REUSED"}}]}',
    };
    const { send, sent } = scripted(res);
    const { p, calls } = permit();
    expect(await withRetries(send, policy, false, p, quiet, labels)).toEqual({
      ok: false,
      refused: res,
    });
    expect(sent).toHaveLength(1);
    expect(calls).toEqual(['release']);
  });

  it('fails a fetch refused with GraphQL errors, not retried, without counting it', async () => {
    const error = (code: string) => `{"message":"bad","extensions":{"code":"${code}"}}`;
    const body = `{"errors":[${error('GRAPHQL_VALIDATION_FAILED')},${error('BAD_USER_INPUT')}]}`;
    const { send, sent } = scripted({ ...ok, status: 400, body });
    const { p, calls } = permit();
    expect(await withRetries(send, policy, false, p, quiet, labels)).toEqual({ ok: false });
    expect(sent).toHaveLength(1);
    expect(calls).toEqual(['release']);
  });

  it('counts any other 4xx: not GraphQL, another code, another status', async () => {
    const bodies = ['<html>not found</html>', '{"errors":[]}', '{"errors":[{"message":"bad"}]}'];
    const refusal = '{"errors":[{"message":"x","extensions":{"code":"GRAPHQL_PARSE_FAILED"}}]}';
    const answers = [...bodies.map((body) => ({ ...ok, status: 400, body }))];
    answers.push({ ...ok, status: 422, body: refusal });
    for (const res of answers) {
      const { send, sent } = scripted(res);
      const { p, calls } = permit();
      expect(await withRetries(send, policy, false, p, quiet, labels)).toEqual({ ok: false });
      expect(sent).toHaveLength(1);
      expect(calls).toEqual(['failure']);
    }
  });

  it('treats 408 and 429 as failures of the subgraph, retried', async () => {
    const { send, sent } = scripted({ ...ok, status: 429 }, { ...ok, status: 408 });
    const { p, calls } = permit();
    expect((await withRetries(send, policy, false, p, quiet, labels)).ok).toBe(true);
    expect(sent).toHaveLength(3);
    expect(calls).toEqual(['success']);
  });
});
