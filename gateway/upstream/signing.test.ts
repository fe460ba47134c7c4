import { describe, expect, it } from 'vitest';
import { IDENTITY_HEADER, verifyGatewayIdentity } from '../../contract/identity.js';
import type { Identity } from '../context.js';
import { RequestHeaders, SIGNATURE_TTL_MS } from './signing.js';

const secret = 's'.repeat(32);
const caller: Identity = {
  kind: 'api-key',
  id: 'key:1',
  authenticated: true,
  scopes: ['culture:write'],
  quota: { perMinute: 0, perDay: 0 },
  trustedDocumentsOnly: false,
};

describe('signing layer', () => {
  it('sends the request id and the caller signed so the subgraphs can verify it', () => {
    let now = 1_000_000;
    const headers = new RequestHeaders(secret, () => now).for({
      requestId: 'r-7',
      identity: caller,
    });
    expect(headers['x-request-id']).toBe('r-7');
    expect(headers['content-type']).toBe('application/json');
    const verified = verifyGatewayIdentity(headers[IDENTITY_HEADER], secret, now);
    expect(verified).toMatchObject({ sub: 'key:1', scopes: ['culture:write'] });
    expect(verifyGatewayIdentity(headers[IDENTITY_HEADER], 'x'.repeat(32), now)).toBeUndefined();
    now += 1;
  });

  it('signs once per caller for a while, then again; another scope set is another signature', () => {
    let now = 1_000_000;
    const signer = new RequestHeaders(secret, () => now);
    const first = signer.signed(caller);
    now += SIGNATURE_TTL_MS - 1;
    expect(signer.signed(caller)).toBe(first);
    expect(signer.signed({ ...caller, scopes: [] })).not.toBe(first);
    now += 2;
    const renewed = signer.signed(caller);
    expect(renewed).not.toBe(first);
    expect(verifyGatewayIdentity(renewed, secret, now)?.iat).toBe(now);
  });

  it('sends no identity for a fetch without a caller (health checks, schema loads)', () => {
    const headers = new RequestHeaders(secret).for(undefined);
    expect(headers[IDENTITY_HEADER]).toBeUndefined();
    expect(headers['x-request-id']).toBeUndefined();
  });
});
