import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', 'scripts', 'check-cycles.mjs');
const roots: string[] = [];

/** A throw-away project: tsconfig.json with `include` and the given source files. */
function project(files: Record<string, string>, include = ['src']): string {
  const root = mkdtempSync(join(tmpdir(), 'check-cycles-'));
  roots.push(root);
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ include, exclude: ['fixtures'] }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(root: string) {
  const run = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('scripts/check-cycles.mjs', () => {
  it('reports a cycle through a type-only import, as one closed path, and fails', () => {
    const root = project({
      'src/a.ts': "import { b } from './b.js';\nexport const a = b + 1;\n",
      'src/b.ts': "import type { C } from './sub/c.js';\nexport const b: C = 1;\n",
      'src/sub/c.ts': "import { a } from '../a.js';\nexport type C = number;\nvoid a;\n",
      'src/d.ts': "import { a } from './a.js';\nexport const d = a;\n",
    });
    const { status, stderr } = check(root);
    expect(status).toBe(1);
    expect(stderr).toBe(
      'check-cycles: 1 import cycle(s) among 4 files:\n  src/a.ts → src/b.ts → src/sub/c.ts → src/a.ts\n',
    );
  });

  it('follows `export … from` and index files, and reports a file importing itself', () => {
    const root = project({
      'src/x/index.ts': "export { y } from '../y.js';\n",
      'src/y.ts': "import { z } from './x/index.js';\nexport const y = 1;\nvoid z;\n",
      'src/self.ts': "import * as me from './self.js';\nexport const s = 1;\nvoid me;\n",
    });
    const { status, stderr } = check(root);
    expect(status).toBe(1);
    expect(stderr).toContain('  src/self.ts → src/self.ts\n');
    expect(stderr).toContain('  src/x/index.ts → src/y.ts → src/x/index.ts\n');
    expect(stderr).toContain('2 import cycle(s) among 3 files');
  });

  it('passes a tree, dynamic import() and packages, and reads only the included folders', () => {
    const root = project({
      'src/a.ts':
        "import { b } from './b.js';\nimport { z } from 'zod';\nexport const a = [b, z];\n",
      'src/b.ts': "export const b = 1;\nexport const late = () => import('./a.js');\n",
      'other/p.ts': "import { q } from './q.js';\nexport const p = q;\n",
      'other/q.ts': "import { p } from './p.js';\nexport const q = p;\n",
    });
    const { status, stdout } = check(root);
    expect(status).toBe(0);
    expect(stdout).toBe('check-cycles: no import cycle among 2 files\n');
  });
});
