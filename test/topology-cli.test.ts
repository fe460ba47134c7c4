import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTopologyArgs } from '../scripts/topology.js';

// The compiled script, as an operator runs it (build first).
const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist/scripts/topology.js');
const run = (...args: string[]) => spawnSync('node', [script, ...args], { encoding: 'utf8' });

describe('node dist/scripts/topology.js', () => {
  it('prints its usage for --help and exits 0 (it crashed: ERR_PARSE_ARGS_UNKNOWN_OPTION)', () => {
    for (const flag of ['--help', '-h']) {
      const out = run(flag);
      expect(out.status).toBe(0);
      expect(out.stdout).toMatch(/^Usage: node dist\/scripts\/topology.js/);
      for (const option of ['--scope', '--postgres-url', '--database-prefix', '--redis-url']) {
        expect(out.stdout).toContain(option);
      }
      expect(out.stderr).toBe('');
    }
  });

  it('refuses a bad command line with a message and the usage, exit 2, before starting', () => {
    for (const args of [['--nope'], ['--database-prefix', 'a_'], ['--gateways', 'two']]) {
      const out = run(...args);
      expect(out.status).toBe(2);
      expect(out.stderr).toContain('Usage: node dist/scripts/topology.js');
      expect(out.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    }
  });
});

describe('parseTopologyArgs', () => {
  it('passes --database-prefix to startTopology, so two topologies share one server', () => {
    const url = 'postgresql://postgres@127.0.0.1:5432/postgres';
    expect(parseTopologyArgs(['--postgres-url', url, '--database-prefix', 'second_'])).toEqual({
      scope: '331124',
      gateways: 2,
      postgresUrl: url,
      databasePrefix: 'second_',
      redisUrl: undefined,
      basePort: 4100,
    });
    expect(() =>
      parseTopologyArgs(['--postgres-url', url, '--database-prefix', 'Bad-Name']),
    ).toThrow(/--database-prefix/);
  });
});
