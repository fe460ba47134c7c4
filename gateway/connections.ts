import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { addressGroup, normaliseAddress, type ProxyTrust } from './auth/proxy-trust.js';

/**
 * How many client connections the GraphQL listener holds. Idle and slow sockets are already
 * closed in bounded time (headers, request and keep-alive timeouts), but each one open holds a
 * file descriptor: silent connections opened faster than they time out used up the process's
 * descriptors, and every new connection, `/healthz` included, was refused until they closed.
 *
 * - at most `max` connections in all (Node's `server.maxConnections`: the ones beyond are closed
 *   as they arrive), leaving descriptors for the subgraph pools, Redis, files and the operator
 *   listener, whose `/healthz` keeps answering;
 * - at most `perAddress` from one peer address, so one client cannot take them all; a trusted
 *   proxy (TRUST_PROXY) carries many clients and is not held to it.
 */
export interface ConnectionLimits {
  max: number;
  /** 0 = no limit per address. */
  perAddress: number;
}

/** Time for a request's headers to arrive (Apollo Router's default header read timeout). */
export const HEADERS_TIMEOUT_MS = 10_000;

export function limitConnections(
  server: Server,
  limits: ConnectionLimits,
  trust: ProxyTrust,
  refused: (reason: 'total' | 'address') => void,
): void {
  server.maxConnections = limits.max;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.on('drop', () => refused('total'));
  if (limits.perAddress <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const peer = normaliseAddress(socket.remoteAddress ?? '');
    if (trust.trusts(peer)) return;
    const address = addressGroup(peer); // an IPv6 peer counts as its /64
    const count = (open.get(address) ?? 0) + 1;
    if (count > limits.perAddress) {
      refused('address');
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

/**
 * The default of MAX_CONNECTIONS: half the process's open-file limit (the other half for the
 * subgraph pools, Redis and files), at most 10,000 and at least 64; 4,096 where the limit
 * cannot be read (not Linux).
 */
export function defaultMaxConnections(limits = readLimits()): number {
  const soft = /^Max open files\s+(\d+)/m.exec(limits ?? '')?.[1];
  if (!soft) return 4_096;
  return Math.max(64, Math.min(10_000, Math.floor(Number(soft) / 2)));
}

function readLimits(): string | undefined {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
}
