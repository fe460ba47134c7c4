import { Lru } from '../operations/lru.js';
import type { QueryPlan } from './fallback-planner.js';

/** @apollo/gateway's own default: some 30 MiB of plans (PLAN_CACHE_MB). */
export const DEFAULT_PLAN_CACHE_BYTES = 30 * 2 ** 20;

/**
 * @apollo/gateway's query plan store (its `queryPlannerConfig.cache`), which its executor reads
 * before planning on the event loop. Plans are made in the worker and repaired (fallback.ts,
 * plan-repair.ts); each is held here for as long as the request it was made for runs, so that
 * the executor finds it even when the bounded store has evicted it meanwhile or it is heavier
 * than the whole store. A plan the executor made itself is repaired before it is kept: kept as
 * made, it was served unrepaired to the next requests (null with SUBGRAPH_UNAVAILABLE).
 */
export class PlanStore {
  private readonly plans: Lru<string, QueryPlan>;
  private readonly held = new Map<string, { plan: QueryPlan; holds: number }>();

  constructor(
    maxBytes: number,
    private readonly repair: (plan: QueryPlan) => QueryPlan,
  ) {
    // Weighed as @apollo/gateway weighs them (its approximateObjectSize).
    this.plans = new Lru(Number.MAX_SAFE_INTEGER, maxBytes, (plan) =>
      Buffer.byteLength(JSON.stringify(plan)),
    );
  }

  async get(key: string): Promise<QueryPlan | undefined> {
    return this.held.get(key)?.plan ?? this.plans.get(key);
  }

  /** Called by @apollo/gateway's executor with a plan it made itself. */
  async set(key: string, plan: QueryPlan): Promise<void> {
    this.plans.set(key, this.repair(plan));
  }

  async delete(key: string): Promise<boolean> {
    const had = this.plans.peek(key) !== undefined;
    this.plans.delete(key);
    return had;
  }

  clear(): void {
    this.plans.clear();
  }

  /** Keeps a (repaired) plan, held until the returned release is called. */
  hold(key: string, plan: QueryPlan): () => void {
    // A plan already kept is marked as used, not weighed again (its JSON, on the event loop).
    if (this.plans.peek(key) === plan) this.plans.get(key);
    else this.plans.set(key, plan);
    const entry = this.held.get(key);
    if (entry && entry.plan === plan) entry.holds++;
    else this.held.set(key, { plan, holds: (entry?.holds ?? 0) + 1 });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = this.held.get(key);
      if (now && --now.holds <= 0) this.held.delete(key);
    };
  }
}
