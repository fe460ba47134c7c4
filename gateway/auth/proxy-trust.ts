import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * Which peers may tell the gateway who the client is (`TRUST_PROXY`), and how the client address
 * is read from `X-Forwarded-For`: from the right, skipping trusted proxies, the first hop that is
 * not a trusted proxy is the client (Express `trust proxy` with a list, nginx `real_ip_recursive`).
 * Hops to the left of it were written by the client and are never believed.
 */
export interface ProxyTrust {
  /** The setting as read, for logs and docs. */
  readonly description: string;
  trusts(address: string): boolean;
}

/** Named ranges, as Express's proxy-addr names them. */
const PRESETS: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};
PRESETS.private = [...PRESETS.loopback, ...PRESETS.linklocal, ...PRESETS.uniquelocal];

/**
 * An IPv4-mapped IPv6 address (`::ffff:0:0/96`: an IPv4 peer of a dual-stack socket) is its
 * IPv4 address, however it is written: `::ffff:10.0.0.1`, `::FFFF:a00:1`,
 * `0:0:0:0:0:ffff:10.0.0.1` are 10.0.0.1. Counted as IPv6, every such spelling fell in one /64.
 */
export function normaliseAddress(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return m[1];
  if (isIP(address) !== 6) return address;
  const groups = groupsOf(address);
  if (groups.length !== 8 || groups.slice(0, 5).some((g) => g !== 0) || groups[5] !== 0xffff)
    return address;
  return [groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255].join('.');
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail as two; zone left out). */
function groupsOf(address: string): number[] {
  const [head, tail = ''] = address.toLowerCase().split('%')[0].split('::');
  const parse = (part: string) =>
    part
      ? part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [Number.parseInt(g, 16)];
          const [a, b, c, d] = g.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        })
      : [];
  const left = parse(head);
  const right = parse(tail);
  if (!address.includes('::')) return left;
  return [...left, ...Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
}

/**
 * Whom limits count an address as: an IPv4 address itself; an IPv6 address's /64 network, as
 * one subscriber is usually given a whole /64 (or more) and can pick any address in it
 * (`2001:db8:1:2::/64`). Anything else is returned as it is.
 */
export function addressGroup(address: string): string {
  const a = normaliseAddress(address);
  if (isIP(a) !== 6) return a;
  return `${groupsOf(a)
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

export const NO_PROXY: ProxyTrust = { description: 'none', trusts: () => false };

/**
 * Parses `TRUST_PROXY`: empty, `false` or `0` = no proxy (X-Forwarded-For ignored); a
 * comma-separated list of addresses, CIDR ranges and the names `loopback`, `linklocal`,
 * `uniquelocal`, `private` (all three). `true` or `1`, the values of the former yes/no setting,
 * read as `private`: the proxies of a private network, with the rightmost untrusted hop taken.
 * Throws on an entry that is none of these.
 */
export function parseTrustProxy(value: string | undefined): ProxyTrust {
  const raw = (value ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0') return NO_PROXY;
  const entries = raw === 'true' || raw === '1' ? ['private'] : raw.split(',').map((s) => s.trim());
  const list = new BlockList();
  for (const entry of entries.filter(Boolean)) {
    for (const item of PRESETS[entry] ?? [entry]) {
      const [address, bits, extra] = item.split('/');
      const family = isIP(normaliseAddress(address));
      const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
      if (
        family === 0 ||
        extra !== undefined ||
        !Number.isInteger(prefix) ||
        (bits !== undefined && !/^\d+$/.test(bits)) ||
        prefix < 0 ||
        prefix > (family === 6 ? 128 : 32)
      ) {
        throw new Error(`"${entry}" is not an address, a CIDR range or a named range`);
      }
      list.addSubnet(normaliseAddress(address), prefix, family === 6 ? 'ipv6' : 'ipv4');
    }
  }
  return {
    description: entries.join(','),
    trusts(address) {
      const a = normaliseAddress(address);
      const family = isIP(a);
      return family !== 0 && list.check(a, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

/**
 * A hop of X-Forwarded-For as proxies write it: an address, `[v6]`, or either with a port
 * (`203.0.113.7:50123`, `[2001:db8::1]:443`, as Azure's gateways write them).
 */
function hopAddress(hop: string): string {
  const text = hop.trim();
  const m =
    /^\[([^\]]*)\](?::(\d{1,5}))?$/.exec(text) ??
    /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(text);
  // A port out of range is garbage, which ends the walk as any other.
  if (!m || Number(m[2] ?? 0) > 65_535) return normaliseAddress(text);
  return normaliseAddress(m[1]);
}

/**
 * The client's address: the socket peer unless it is a trusted proxy; then, walking
 * X-Forwarded-For from the right, the first hop that is not a trusted proxy. A hop that is not an
 * address stops the walk at the last address reached (a caller cannot mint identities with
 * garbage). Several X-Forwarded-For headers are read as one list, in order (Node joins them).
 */
export function clientAddress(req: IncomingMessage, trust: ProxyTrust): string {
  let address = normaliseAddress(req.socket.remoteAddress ?? 'unknown');
  if (!trust.trusts(address)) return address;
  const header = req.headers['x-forwarded-for'];
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const hops = value.split(',');
  for (let i = hops.length - 1; i >= 0 && trust.trusts(address); i--) {
    const hop = hopAddress(hops[i]);
    if (hop === '') continue;
    if (isIP(hop) === 0) break;
    address = hop;
  }
  return address;
}
