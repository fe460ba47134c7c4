import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { withDatabase } from '../../subgraphs/shared/pg-admin.js';
import { freePort } from './processes.js';

/**
 * A throwaway PostgreSQL cluster of a test's own (initdb in a temporary folder, on a free
 * port), for faults that must not reach the shared server other tests use: stopping it,
 * freezing it, terminating its sessions.
 */
export interface PrivatePostgres {
  /** postgresql://postgres@127.0.0.1:<port>/postgres */
  url: string;
  /** Stops the server (`pg_ctl stop -m immediate` by default: a crash, no goodbye to clients). */
  stop: (mode?: 'immediate' | 'fast') => Promise<void>;
  start: () => Promise<void>;
  /** SIGSTOP (or SIGCONT) to the postmaster and every backend: a hung database. */
  freeze: () => void;
  thaw: () => void;
  /** SIGKILL to the postmaster and every backend (a crash of a hung server); start() again. */
  kill: () => void;
  /** Ends every session of database `name` (a failover drops them); how many it ended. */
  terminate: (name: string) => Promise<number>;
  close: () => Promise<void>;
}

const BIN_DIRS = ['/usr/local/bin', '/usr/lib/postgresql/15/bin', '/usr/bin'];
const binary = (name: string) => BIN_DIRS.map((d) => join(d, name)).find((p) => existsSync(p));

/** Why a private cluster cannot be made here, or undefined when it can. */
export function privatePostgresMissing(): string | undefined {
  if (!binary('initdb') || !binary('pg_ctl') || !binary('psql')) {
    return `initdb, pg_ctl or psql not found in ${BIN_DIRS.join(', ')}`;
  }
  if (process.getuid?.() === 0 && !owner()) return 'running as root without a postgres user';
  return undefined;
}

/** initdb refuses root: as root, the cluster belongs to the postgres user. */
function owner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const missing = privatePostgresMissing();
  if (missing) throw new Error(missing);
  const user = owner();
  const dir = mkdtempSync(join(tmpdir(), 'rdsg-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const port = await freePort();
  const run = (bin: string, args: string[]) =>
    promisify(execFile)(binary(bin)!, args, { ...user, cwd: dir, timeout: 60_000 });
  const pgCtl = (args: string[]) => run('pg_ctl', ['-D', data, '-w', '-t', '30', ...args]);
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const start = async () => {
    await pgCtl(['-o', `-p ${port} -k ${dir} -c fsync=off`, '-l', join(dir, 'log'), 'start']);
  };
  const signal = (sig: NodeJS.Signals) => {
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)])
      .toString()
      .split('\n')
      .filter((l) => l.trim())
      .map(Number);
    for (const pid of [postmaster, ...children]) process.kill(pid, sig);
  };
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-N']);
  await start();
  let running = true;
  return {
    url,
    start: async () => {
      await start();
      running = true;
    },
    stop: async (mode = 'immediate') => {
      await pgCtl(['-m', mode, 'stop']);
      running = false;
    },
    freeze: () => signal('SIGSTOP'),
    thaw: () => signal('SIGCONT'),
    kill: () => {
      signal('SIGKILL');
      running = false;
      // The killed postmaster can stay a zombie (nothing here reaps it), and a lock file naming
      // a pid that still exists stops the next start: an operator removes them after a crash.
      for (const file of [join(data, 'postmaster.pid'), join(dir, `.s.PGSQL.${port}.lock`)]) {
        rmSync(file, { force: true });
      }
    },
    terminate: async (name) => {
      const { stdout } = await run('psql', [
        '-At',
        withDatabase(url, 'postgres'),
        '-c',
        // In a FILTER, only the sessions the WHERE kept are ended (in an AND, maybe not).
        'select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity ' +
          `where datname = '${name}'`,
      ]);
      return Number(stdout.trim());
    },
    close: async () => {
      if (running) {
        // A frozen server would not stop: let it run first.
        try {
          signal('SIGCONT');
        } catch {
          // Already gone.
        }
        await pgCtl(['-m', 'immediate', 'stop']).catch(() => undefined);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
