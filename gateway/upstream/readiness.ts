import { ownQuery, type OwnIdentity } from './own-query.js';

/** Who the readiness probe is to the subgraphs: the gateway itself, with no scope. */
const READINESS_PROBE: OwnIdentity = { id: 'gateway:readiness', kind: 'anonymous', scopes: [] };

/**
 * The subgraphs that do not answer `{ __typename }` within 2 s now (`/readyz`): a subgraph is up
 * when it answers HTTP 2xx with a JSON GraphQL result whose `data.__typename` is a string (a
 * proxy's HTML page or `{"data":null}` is not an answer to the query sent).
 */
export async function subgraphsDown(
  subgraphs: readonly { name: string; url: string }[],
  sharedSecret: string,
): Promise<string[]> {
  const answers = await Promise.all(
    subgraphs.map((s) => ownQuery(s.url, READINESS_PROBE, sharedSecret, '{ __typename }', 2_000)),
  );
  return subgraphs.filter((_, i) => typeof answers[i]?.__typename !== 'string').map((s) => s.name);
}

/** What `/readyz` knows of the subgraphs: whether to take traffic, and which ones are down. */
export interface SubgraphReadiness {
  /** True until every subgraph has answered once, for at most the startup wait. */
  waiting: boolean;
  down: string[];
}

/**
 * The subgraphs' part of this replica's readiness. A new replica waits until every subgraph has
 * answered once (at most `waitMs` after `start`), so it takes no traffic it cannot serve yet.
 * After that, a subgraph down is reported, not a reason to leave the balancer: every replica
 * sees the same subgraph, and taking them all out would turn one domain's outage into the whole
 * endpoint's (Apollo Router, Cosmo and Hive Gateway do not tie readiness to subgraphs either).
 * One probe serves every call of the next second: a stranger polling the public /readyz cannot
 * multiply requests to the subgraphs. A probe still under way after `freshWaitMs` is not waited
 * for once one has ended: the last one's answer is given. A subgraph that hangs makes each probe
 * last its whole 2 s, and a /readyz that answered that late failed probers' shorter timeouts
 * (Kubernetes waits 1 s): every replica out of the balancer for one domain's outage.
 */
export function subgraphReadiness(
  probe: () => Promise<string[]>,
  waitMs: number,
  now: () => number = Date.now,
  freshWaitMs = 250,
) {
  let startedAt: number | undefined;
  let seenAllUp = false;
  let last: { at: number; down: Promise<string[]> } | undefined;
  /** What the newest probe that has ended found, and which probe that was. */
  let ended: { seq: number; down: string[] } | undefined;
  let probes = 0;
  const latest = (down: Promise<string[]>): Promise<string[]> => {
    const known = ended;
    if (!known) return down;
    let timer: NodeJS.Timeout | undefined;
    const stale = new Promise<string[]>((resolve) => {
      timer = setTimeout(() => resolve(known.down), freshWaitMs);
      timer.unref();
    });
    return Promise.race([down, stale]).finally(() => clearTimeout(timer));
  };
  return {
    start() {
      startedAt = now();
    },
    async check(): Promise<SubgraphReadiness> {
      const at = now();
      if (!last || at - last.at > 1_000) {
        const seq = ++probes;
        const pending = probe();
        last = { at, down: pending };
        pending.then(
          (down) => {
            if (!ended || ended.seq < seq) ended = { seq, down };
          },
          () => {},
        );
      }
      const down = await latest(last.down);
      if (down.length === 0) seenAllUp = true;
      const waiting = !seenAllUp && (startedAt === undefined || now() - startedAt < waitMs);
      return { waiting, down };
    },
  };
}
