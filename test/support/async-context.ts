import { AsyncLocalStorage } from 'node:async_hooks';
import { expect, vi } from 'vitest';

/**
 * Runs `work` and checks that nothing ran an AsyncLocalStorage meanwhile: one `run` or
 * `enterWith` turns Node's promise hooks on for the rest of the process, and every promise of
 * every later request pays for them (subgraphs/shared/request-errors.ts, transaction.ts).
 */
export async function withoutAsyncContext<T>(work: () => Promise<T>): Promise<T> {
  const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
  const enterWith = vi.spyOn(AsyncLocalStorage.prototype, 'enterWith');
  try {
    const out = await work();
    expect(run).not.toHaveBeenCalled();
    expect(enterWith).not.toHaveBeenCalled();
    return out;
  } finally {
    run.mockRestore();
    enterWith.mockRestore();
  }
}
