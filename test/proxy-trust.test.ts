import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadGatewayConfig } from '../gateway/config.js';
import { clientAddress, parseTrustProxy, type ProxyTrust } from '../gateway/auth/proxy-trust.js';

/** A request as the gateway's socket sees it. */
function request(peer: string, forwardedFor?: string | string[]): IncomingMessage {
  return {
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  } as unknown as IncomingMessage;
}

describe('TRUST_PROXY', () => {
  it('takes the rightmost hop that is not a trusted proxy', () => {
    const trust = parseTrustProxy('10.0.0.0/8, 192.0.2.7');
    // A client behind two trusted proxies, having written its own (false) hops first.
    const req = request('10.1.1.1', '203.0.113.66, 198.51.100.1, 203.0.113.9, 192.0.2.7');
    expect(clientAddress(req, trust)).toBe('203.0.113.9');
    expect(clientAddress(request('198.51.100.5', '1.2.3.4'), trust)).toBe('198.51.100.5');
    expect(clientAddress(request('10.1.1.1'), trust)).toBe('10.1.1.1');
    expect(clientAddress(request('::ffff:10.1.1.1', '2001:db8::5'), trust)).toBe('2001:db8::5');
    // Garbage is never an identity: the walk stops at the last address reached.
    expect(clientAddress(request('10.1.1.1', 'junk-1, 10.2.2.2'), trust)).toBe('10.2.2.2');
    // Several headers are one list, in order.
    expect(clientAddress(request('10.1.1.1', ['6.6.6.6', '203.0.113.4']), trust)).toBe(
      '203.0.113.4',
    );
  });

  it('reads a hop written with a port as its address (it was the proxy: one quota for all)', () => {
    const trust = parseTrustProxy('10.0.0.0/8');
    for (const [hop, client] of [
      ['203.0.113.7:50123', '203.0.113.7'],
      ['[2001:db8:5::1]:443', '2001:db8:5::1'],
      ['[2001:db8:5::2]', '2001:db8:5::2'],
      ['[::ffff:203.0.113.8]:80', '203.0.113.8'],
    ]) {
      expect(clientAddress(request('10.1.1.1', `6.6.6.6, ${hop}`), trust), hop).toBe(client);
    }
    // Still no identity from garbage, port or not.
    expect(clientAddress(request('10.1.1.1', 'junk:80, 10.2.2.2:80'), trust)).toBe('10.2.2.2');
    expect(clientAddress(request('10.1.1.1', '1.2.3.4:99999'), trust)).toBe('10.1.1.1');
  });

  it('reads false/empty as no proxy, true as the private ranges, and refuses junk', () => {
    expect(clientAddress(request('127.0.0.1', '1.2.3.4'), parseTrustProxy('false'))).toBe(
      '127.0.0.1',
    );
    expect(clientAddress(request('127.0.0.1', '1.2.3.4'), parseTrustProxy(''))).toBe('127.0.0.1');
    const legacy = parseTrustProxy('true');
    expect(legacy.trusts('172.18.0.5')).toBe(true);
    expect(legacy.trusts('::1')).toBe(true);
    expect(legacy.trusts('8.8.8.8')).toBe(false);
    // The former leftmost reading let this caller choose 9.9.9.9.
    expect(clientAddress(request('172.18.0.5', '9.9.9.9, 203.0.113.5'), legacy)).toBe(
      '203.0.113.5',
    );
    expect(parseTrustProxy('loopback').trusts('127.0.0.9')).toBe(true);
    expect(parseTrustProxy('loopback').trusts('10.0.0.1')).toBe(false);
    for (const bad of ['yes', '10.0.0.0/33', '10.0.0.1/8/1', 'example.com'])
      expect(() => parseTrustProxy(bad), bad).toThrow();
    expect(() => loadGatewayConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
  });
});

/**
 * The shipped deployment (docker-compose.yml + deploy/nginx/nginx.conf), which cannot run here:
 * nginx's X-Forwarded-For rule is applied as nginx would, and the gateways' TRUST_PROXY decides.
 */
describe('the shipped load balancer settings', () => {
  interface Service {
    environment?: Record<string, string>;
    networks?: Record<string, { ipv4_address?: string }>;
  }
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
    networks?: { default?: { ipam?: { config?: { subnet?: string; ip_range?: string }[] } } };
  };
  // The directives, comments left out.
  const nginx = readFileSync('deploy/nginx/nginx.conf', 'utf8').replace(/#.*$/gm, '');

  /** What nginx sends upstream as X-Forwarded-For for a client at `client`. */
  function forwardedByNginx(client: string, sent: string | undefined): string {
    expect(nginx).not.toMatch(/real_ip_header|set_real_ip_from/); // $remote_addr is the peer
    const rules = [...nginx.matchAll(/proxy_set_header\s+X-Forwarded-For\s+(\S+);/gi)];
    expect(rules).toHaveLength(1);
    const value = rules[0][1];
    if (value === '$remote_addr') return client;
    if (value === '$proxy_add_x_forwarded_for') return sent ? `${sent}, ${client}` : client;
    throw new Error(`nginx sets X-Forwarded-For to ${value}, which this test cannot read`);
  }

  const lbAddress = compose.services.lb.networks?.default?.ipv4_address;
  const gateways = Object.entries(compose.services).filter(([name]) => name.startsWith('gateway-'));

  it('gives the load balancer a fixed address outside the dynamic range', () => {
    expect(lbAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const ipam = compose.networks?.default?.ipam?.config?.[0];
    expect(parseTrustProxy(ipam?.subnet).trusts(lbAddress!)).toBe(true);
    expect(parseTrustProxy(ipam?.ip_range).trusts(lbAddress!)).toBe(false);
    expect(gateways.length).toBeGreaterThanOrEqual(2);
  });

  it('counts a client as its own address whatever X-Forwarded-For it sends', () => {
    const client = '203.0.113.77';
    const victim = '198.51.100.23';
    for (const [name, service] of gateways) {
      const config = loadGatewayConfig(service.environment);
      const trust: ProxyTrust = config.trustProxy;
      for (const spoofed of [
        undefined,
        victim,
        `${victim}, 10.0.0.1`,
        '127.0.0.1',
        `1.1.1.1, ${lbAddress}`,
        'garbage',
      ]) {
        const req = request(lbAddress!, forwardedByNginx(client, spoofed));
        expect(clientAddress(req, trust), `${name} with X-Forwarded-For: ${spoofed}`).toBe(client);
      }
      // A neighbour on the compose network calling a replica directly is not believed either.
      const neighbour = request('172.30.40.200', victim);
      expect(clientAddress(neighbour, trust), name).toBe('172.30.40.200');
    }
  });
});
