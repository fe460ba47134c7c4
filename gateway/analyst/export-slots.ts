import type { ServerResponse } from 'node:http';
import { CallerSlots } from '../caller-slots.js';
import type { Identity } from '../context.js';
import type { ExportSettings } from './export-request.js';

/**
 * The exports running at once: at most `maxPerCaller` per caller (EXPORT_CONCURRENCY_LIMITED)
 * and `maxTotal` in the process (EXPORTS_BUSY). Anonymous callers together take at most half of
 * them: addresses are cheap, and a few reading slowly (an export holds its slot for as long as
 * the client takes what is sent within the send timeout) would otherwise hold every slot and
 * leave none for the partners' keys.
 */
export function createExportSlots(settings: Pick<ExportSettings, 'maxPerCaller' | 'maxTotal'>) {
  const perCaller = new CallerSlots(settings.maxPerCaller);
  let total = 0;
  let anonymous = 0;
  const maxAnonymous = Math.max(1, Math.floor(settings.maxTotal / 2));
  return {
    total: () => total,
    /** A slot for the caller (call the answer to free it), or the refusal's code. */
    acquire(identity: Identity): (() => void) | string {
      const anon = !identity.authenticated;
      const releaseCaller = perCaller.take(identity.id);
      if (!releaseCaller) return 'EXPORT_CONCURRENCY_LIMITED';
      if (total >= settings.maxTotal || (anon && anonymous >= maxAnonymous)) {
        releaseCaller();
        return 'EXPORTS_BUSY';
      }
      total += 1;
      if (anon) anonymous += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total -= 1;
        if (anon) anonymous -= 1;
        releaseCaller();
      };
    },
  };
}

/**
 * Frees an export's slot as soon as its client leaves (docs/partners.md), not once the page in
 * flight has ended: that page can take up to the subgraph timeout, and a retry got 429 meanwhile.
 * Returns what stops watching.
 */
export function freeWhenLeft(res: ServerResponse, release: () => void): () => void {
  const left = () => {
    if (!res.writableFinished) release();
  };
  res.once('close', left);
  return () => res.off('close', left);
}
