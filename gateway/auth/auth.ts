import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import {
  createLocalJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { GatewayConfig } from '../config.js';
import type { Identity } from '../context.js';
import { KeyStoreUnavailable, type KeyStore } from './keys.js';
import { remoteKeys } from './jwks.js';
import { RequestRejection } from '../operations/limits.js';
import { addressGroup, clientAddress } from './proxy-trust.js';
import { createAuthFailures, type AuthFailures } from './auth-failures.js';

export { clientAddress };

/** Scope that lets a caller introspect the schema and see field suggestions. */
export const INTROSPECT_SCOPE = 'schema:introspect';

/** A credential problem: answered with HTTP 401 and a stable code. */
export class AuthError extends Error {
  constructor(
    readonly code:
      'UNAUTHENTICATED' | 'INVALID_CREDENTIALS' | 'CREDENTIALS_REVOKED' | 'CREDENTIALS_EXPIRED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A scope set as one list: space-separated entries split (an OAuth `scope` string and a list
 * entry `"a b"` both mean a and b), duplicates dropped, sorted. Callers with the same scopes then
 * have the same list, which the authorization and response caches key on.
 */
export function normaliseScopes(scopes: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const s of scopes) {
    if (typeof s !== 'string') continue;
    for (const part of s.split(/\s+/)) if (part) out.add(part);
  }
  return [...out].sort();
}

function scopesOf(payload: JWTPayload): string[] {
  const { scope, scopes, scp } = payload as Record<string, unknown>;
  if (typeof scope === 'string') return normaliseScopes([scope]);
  for (const list of [scopes, scp]) {
    if (Array.isArray(list)) return normaliseScopes(list);
    if (typeof list === 'string') return normaliseScopes([list]);
  }
  return [];
}

/** Retry-After of a 503 KEY_STORE_UNAVAILABLE (the client polls for the key store's return). */
export const KEY_STORE_RETRY_AFTER_S = 5;

/** The key store or the token keys' URL unreachable, and nothing loaded to answer from. */
const keyStoreUnavailable = () =>
  new RequestRejection(
    503,
    'KEY_STORE_UNAVAILABLE',
    'Credentials cannot be checked right now; retry shortly.',
    undefined,
    { 'retry-after': String(KEY_STORE_RETRY_AFTER_S) },
  );

/** An address over AUTH_FAILURES_PER_MINUTE whose credentials failed again. */
const tooManyFailures = (retryAfter: number) =>
  new RequestRejection(
    429,
    'AUTHENTICATION_RATE_LIMITED',
    'Too many requests with credentials that are not valid from this address; check the API key or token, and retry after the given seconds.',
    undefined,
    { 'retry-after': String(retryAfter) },
  );

/**
 * Turns the request's credentials into an Identity, or throws AuthError (429
 * AUTHENTICATION_RATE_LIMITED instead once its address failed too often: auth-failures.ts).
 */
export function createAuthenticator(
  config: GatewayConfig,
  keys: KeyStore,
  onLimited: () => void = () => {},
  failures: AuthFailures = createAuthFailures(config.authFailuresPerMinute),
) {
  let jwks: JWTVerifyGetKey | Uint8Array | undefined;
  const jwt = config.jwt;
  if (jwt?.secret) jwks = new TextEncoder().encode(jwt.secret);
  else if (jwt?.jwksPath) jwks = createLocalJWKSet(JSON.parse(readFileSync(jwt.jwksPath, 'utf8')));
  else if (jwt?.jwksUrl) jwks = remoteKeys(new URL(jwt.jwksUrl));

  async function fromJwt(token: string): Promise<Identity> {
    if (!jwt || !jwks)
      throw new AuthError('INVALID_CREDENTIALS', 'Bearer tokens are not accepted.');
    try {
      const options = {
        issuer: jwt.issuer,
        audience: jwt.audience,
        algorithms: jwt.secret ? ['HS256'] : ['RS256', 'ES256', 'PS256', 'EdDSA'],
        // A token without an expiry would be valid for ever.
        requiredClaims: ['exp'],
        // An issuer whose clock runs a few seconds ahead mints tokens whose `nbf` is "not yet".
        clockTolerance: jwt.clockToleranceS,
      };
      const { payload } =
        jwks instanceof Uint8Array
          ? await jwtVerify(token, jwks, options)
          : await jwtVerify(token, jwks, options);
      // A stolen long-lived token is a long-lived key: the issuer may not mint one.
      const now = Math.floor(Date.now() / 1000);
      const issuedAt = typeof payload.iat === 'number' ? Math.min(payload.iat, now) : now;
      if (jwt.maxLifetimeS > 0 && payload.exp! - issuedAt > jwt.maxLifetimeS) {
        throw new AuthError(
          'INVALID_CREDENTIALS',
          `The token lives longer than ${jwt.maxLifetimeS} seconds.`,
        );
      }
      if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
        throw new AuthError('INVALID_CREDENTIALS', 'The token has no subject.');
      }
      return {
        kind: 'jwt',
        id: `jwt:${payload.sub}`,
        name: payload.sub,
        authenticated: true,
        scopes: scopesOf(payload),
        quota: config.quota,
        trustedDocumentsOnly: false,
      };
    } catch (err) {
      if (err instanceof AuthError) throw err;
      if (err instanceof KeyStoreUnavailable) throw keyStoreUnavailable();
      if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'exp') {
        throw new AuthError('INVALID_CREDENTIALS', 'The token has no expiry (`exp`).');
      }
      if (err instanceof joseErrors.JWTExpired) {
        throw new AuthError('CREDENTIALS_EXPIRED', 'The token has expired.');
      }
      throw new AuthError('INVALID_CREDENTIALS', 'The token is not valid.');
    }
  }

  /** Redis down and the key not in the last set loaded: 503, never a false 401. */
  async function lookup(key: string, loadedOnly: boolean) {
    try {
      return await keys.lookup(key, { loadedOnly });
    } catch (err) {
      if (!(err instanceof KeyStoreUnavailable)) throw err;
      throw keyStoreUnavailable();
    }
  }

  async function fromKey(key: string, loadedOnly: boolean): Promise<Identity> {
    const record = key.length <= 200 ? await lookup(key, loadedOnly) : undefined;
    if (!record) throw new AuthError('INVALID_CREDENTIALS', 'The API key is not valid.');
    if (record.revokedAt) throw new AuthError('CREDENTIALS_REVOKED', 'The API key was revoked.');
    return {
      kind: 'api-key',
      id: `key:${record.id}`,
      name: record.name,
      owner: record.owner,
      authenticated: true,
      scopes: normaliseScopes(record.scopes ?? []),
      quota: {
        perMinute: record.rateLimitPerMinute ?? config.quota.perMinute,
        perDay: record.dailyQuota ?? config.quota.perDay,
      },
      trustedDocumentsOnly: record.trustedDocumentsOnly === true,
    };
  }

  async function identify(req: IncomingMessage, limited: boolean): Promise<Identity> {
    const apiKey = req.headers['x-api-key'];
    const authorization = req.headers.authorization;
    if (typeof apiKey === 'string' && apiKey.length > 0) return fromKey(apiKey, limited);
    if (typeof authorization === 'string' && authorization.length > 0) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!m) throw new AuthError('INVALID_CREDENTIALS', 'Use `Authorization: Bearer <token>`.');
      return fromJwt(m[1]);
    }
    if (config.anonymous === 'off') {
      throw new AuthError('UNAUTHENTICATED', 'Credentials are required: an API key or a token.');
    }
    return {
      kind: 'anonymous',
      // An IPv6 caller counts as its /64: picking another address in it is not another caller.
      id: `anon:${addressGroup(clientAddress(req, config.trustProxy))}`,
      authenticated: false,
      scopes: [],
      quota: config.anonymousQuota,
      trustedDocumentsOnly: false,
    };
  }

  return async function authenticate(req: IncomingMessage): Promise<Identity> {
    const address = addressGroup(clientAddress(req, config.trustProxy));
    const limited = failures.limited(address);
    try {
      return await identify(req, limited !== undefined);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      if (limited !== undefined) {
        onLimited();
        throw tooManyFailures(limited);
      }
      failures.failed(address);
      throw err;
    }
  };
}
