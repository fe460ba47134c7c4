import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './processes.js';

/**
 * A redis-server of the test's own (not the shared one on 6379), so a test may hang it
 * (SIGSTOP), kill it and start it again on the same port.
 */
export interface OwnRedis {
  port: number;
  url: string;
  start(): Promise<void>;
  hang(): void;
  resume(): void;
  kill(): Promise<void>;
}

export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const accepts = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('error', () => done(false));
    });
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
      for (let i = 0; i < 100 && !(await accepts()); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    hang: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    async kill() {
      if (!child || child.exitCode !== null || child.signalCode) return;
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
