import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', 'scripts', 'check-size.mjs');
const roots: string[] = [];

/** A throw-away project: tsconfig.json with `include` and files of the given line counts. */
function project(files: Record<string, number>): string {
  const root = mkdtempSync(join(tmpdir(), 'check-size-'));
  roots.push(root);
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ include: ['src'] }));
  for (const [path, lines] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), 'export {};\n'.repeat(lines));
  }
  return root;
}

const check = (root: string, max = '300') =>
  spawnSync(process.execPath, [script, '--root', root, '--max', max], { encoding: 'utf8' });

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('check-size', () => {
  it('passes files of at most 300 lines, and generated files and migrations of any size', () => {
    const run = check(
      project({
        'src/a.ts': 300,
        'src/generated/graphql.ts': 900,
        'src/b.generated.ts': 900,
        'src/migrations/Migration1.ts': 900,
        'outside/long.ts': 900,
      }),
    );
    expect(run.stdout).toContain('no source file over 300 lines among 1 files');
    expect(run.status).toBe(0);
  });

  it('fails on a file over the limit, naming it with its length', () => {
    const run = check(project({ 'src/ok.ts': 10, 'src/long.test.ts': 301 }));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('src/long.test.ts: 301');
    expect(run.stderr).not.toContain('ok.ts');
    expect(check(project({ 'src/x.ts': 11 }), '10').status).toBe(1);
  });
});
