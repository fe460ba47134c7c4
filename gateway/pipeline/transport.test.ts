import { describe, expect, it } from 'vitest';
import { RequestRejection } from '../operations/limits.js';
import { pipelineDeps, request, requestState } from './fixtures.js';
import { csrfSafe, transport } from './transport.js';

const deps = pipelineDeps();

describe('transport stage', () => {
  it.each(['PUT', 'DELETE', 'PATCH', 'HEAD'])(
    'answers 405 BAD_REQUEST (the documented code) with Allow to %s',
    (method) => {
      const reply = transport(requestState(request({ method })), deps);
      expect(reply).toMatchObject({ status: 405, headers: { allow: 'GET, POST' } });
      expect(JSON.parse((reply as { body: string }).body).errors[0].extensions.code).toBe(
        'BAD_REQUEST',
      );
    },
  );

  it('refuses what a browser sends cross-site without a preflight', () => {
    for (const type of [
      'text/plain',
      'multipart/form-data; boundary=x',
      'APPLICATION/X-WWW-FORM-URLENCODED',
    ]) {
      const state = requestState(request({ method: 'POST', headers: { 'content-type': type } }));
      expect(() => transport(state, deps)).toThrow(RequestRejection);
    }
    const get = request({ method: 'GET' });
    delete (get.headers as Record<string, unknown>)['content-type'];
    expect(csrfSafe(get)).toBe(false);
  });

  it('lets JSON, a preflight header, and the gateway’s own requests through', () => {
    expect(transport(requestState(request()), deps)).toBeUndefined();
    const preflighted = request({
      method: 'GET',
      headers: { 'content-type': 'text/plain', 'apollo-require-preflight': 'true' },
    });
    expect(csrfSafe(preflighted)).toBe(true);
    const empty = request({
      headers: { 'content-type': 'text/plain', 'x-apollo-operation-name': '' },
    });
    expect(csrfSafe(empty)).toBe(false);
    const internal = requestState(request({ headers: { 'content-type': 'text/plain' } }), {
      internal: { body: {} },
    });
    expect(transport(internal, deps)).toBeUndefined();
  });
});
