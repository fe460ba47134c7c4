import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkCompose, readComposeContext, type ComposeFile } from './support/compose.js';

const compose = () =>
  parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as ComposeFile;

describe('docker-compose.yml', () => {
  it('agrees with the code: services, health checks, ports, variables, dependencies', () => {
    const file = compose();
    expect(Object.keys(file.services).sort()).toEqual([
      'commerce',
      'culture',
      'gateway-1',
      'gateway-2',
      'healthcare',
      'lb',
      'places',
      'postgres',
      'redis',
      'seed',
    ]);
    expect(checkCompose(file, readComposeContext())).toEqual([]);
  });

  it('fails when a service loses its health check', () => {
    const file = compose();
    delete file.services.culture.healthcheck;
    expect(checkCompose(file, readComposeContext())).toEqual([
      'culture has no health check',
      'culture health check does not probe port 4002',
    ]);
  });

  it('fails when ports, variables or dependencies drift from the code', () => {
    const file = compose();
    file.services.healthcare.environment!.HEALTHCARE_PORT = '5003';
    delete file.services['gateway-2'].depends_on!.commerce;
    file.services.places.environment!.PLACES_CACHE_SIZE = '10';
    const ctx = readComposeContext();
    ctx.envExample = ctx.envExample.filter((v) => v !== 'SUBGRAPH_TIMEOUT_MS');
    expect(checkCompose(file, ctx).sort()).toEqual(
      [
        '.env.example lacks SUBGRAPH_TIMEOUT_MS',
        'gateway-1 sets SUBGRAPH_TIMEOUT_MS, which .env.example does not list',
        'gateway-2 sets SUBGRAPH_TIMEOUT_MS, which .env.example does not list',
        'gateway-2 must depend on commerce with condition service_healthy',
        'healthcare port 5003 is not 4003',
        'healthcare health check does not probe port 5003',
        'places sets PLACES_CACHE_SIZE, which .env.example does not list',
      ].sort(),
    );
  });

  it('fails when a gateway has no V8 heap bound', () => {
    const file = compose();
    expect(file.services['gateway-1'].environment?.NODE_OPTIONS).toMatch(
      /^--max-old-space-size=\d+$/,
    );
    delete file.services['gateway-2'].environment!.NODE_OPTIONS;
    expect(checkCompose(file, readComposeContext())).toEqual([
      'gateway-2 has no heap bound (NODE_OPTIONS=--max-old-space-size=…)',
    ]);
  });

  it('fails when Redis, which holds the API keys, could lose them', () => {
    const file = compose();
    file.services.redis.command = ['redis-server', '--save', '', '--appendonly', 'no'];
    file.services.redis.command.push('--maxmemory-policy', 'allkeys-lru');
    delete file.services.redis.volumes;
    expect(checkCompose(file, readComposeContext())).toEqual([
      'redis keeps API keys but appendonly is not yes',
      'redis keeps API keys but /data is not on a volume',
      'redis keeps API keys but maxmemory-policy allkeys-lru may evict them',
    ]);
  });
});
