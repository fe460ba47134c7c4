import type { Identity } from '../context.js';
import type { ExportSettings } from './export-request.js';

/**
 * The exports running at once: at most `maxPerCaller` per caller (EXPORT_CONCURRENCY_LIMITED)
 * and `maxTotal` in the process (EXPORTS_BUSY).
 */
export function createExportSlots(settings: Pick<ExportSettings, 'maxPerCaller' | 'maxTotal'>) {
  const running = new Map<string, number>();
  let total = 0;
  return {
    total: () => total,
    /** A slot for the caller (call the answer to free it), or the refusal's code. */
    acquire(identity: Identity): (() => void) | string {
      const caller = identity.id;
      if ((running.get(caller) ?? 0) >= settings.maxPerCaller) return 'EXPORT_CONCURRENCY_LIMITED';
      if (total >= settings.maxTotal) return 'EXPORTS_BUSY';
      running.set(caller, (running.get(caller) ?? 0) + 1);
      total += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total -= 1;
        const n = (running.get(caller) ?? 1) - 1;
        if (n === 0) running.delete(caller);
        else running.set(caller, n);
      };
    },
  };
}
