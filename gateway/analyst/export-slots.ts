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
  // Exports whose client left while a page was in flight, per caller: that page runs on (there
  // is no cancelling a subgraph fetch), holding the process's slot but not its caller's.
  const leftPerCaller = new CallerSlots(settings.maxPerCaller);
  let total = 0;
  let anonymous = 0;
  const maxAnonymous = Math.max(1, Math.floor(settings.maxTotal / 2));
  return {
    total: () => total,
    /** A slot for the caller, or the refusal's code. */
    acquire(identity: Identity): ExportSlot | string {
      const anon = !identity.authenticated;
      let releaseCaller = perCaller.take(identity.id);
      if (!releaseCaller) return 'EXPORT_CONCURRENCY_LIMITED';
      if (total >= settings.maxTotal || (anon && anonymous >= maxAnonymous)) {
        releaseCaller();
        return 'EXPORTS_BUSY';
      }
      total += 1;
      if (anon) anonymous += 1;
      let releaseLeft: (() => void) | undefined;
      let ended = false;
      return {
        left() {
          if (ended || releaseLeft || !releaseCaller) return;
          // At most maxPerCaller such pages a caller: beyond, its slot is held until they end.
          releaseLeft = leftPerCaller.take(identity.id);
          if (!releaseLeft) return;
          releaseCaller();
          releaseCaller = undefined;
        },
        end() {
          if (ended) return;
          ended = true;
          total -= 1;
          if (anon) anonymous -= 1;
          releaseCaller?.();
          releaseLeft?.();
        },
      };
    },
  };
}

/**
 * An export's hold on the slots. `left`: its client went away; the caller may start another
 * export at once (docs/partners.md), while the page in flight still counts in the process's
 * EXPORT_MAX_TOTAL until `end`, so leaving and coming back cannot run more pages at once than
 * the gateway allows (at most EXPORT_MAX_PER_CALLER such pages a caller).
 */
export interface ExportSlot {
  left(): void;
  end(): void;
}

/**
 * Frees an export's caller slot as soon as its client leaves (docs/partners.md), not once the
 * page in flight has ended: that page can take up to the subgraph timeout, and a retry got 429
 * meanwhile. Returns what stops watching.
 */
export function freeWhenLeft(res: ServerResponse, slot: ExportSlot): () => void {
  const left = () => {
    if (!res.writableFinished) slot.left();
  };
  res.once('close', left);
  return () => res.off('close', left);
}
