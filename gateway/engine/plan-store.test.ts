import { describe, expect, it } from 'vitest';
import type { QueryPlan } from './fallback-planner.js';
import { PlanStore } from './plan-store.js';

const plan = (name: string, bytes = 10) =>
  ({ kind: 'QueryPlan', node: { name: name.padEnd(bytes) } }) as unknown as QueryPlan;
const repaired = (p: QueryPlan) => ({ ...p, repaired: true }) as unknown as QueryPlan;

describe('PlanStore', () => {
  it('answers a held plan heavier than the whole store until it is released', async () => {
    const store = new PlanStore(100, repaired);
    const big = plan('big', 500);
    const release = store.hold('k', big);
    expect(await store.get('k')).toBe(big);
    release();
    release(); // twice is once
    expect(await store.get('k')).toBeUndefined();
  });

  it('answers a held plan evicted by others, and repairs a plan the executor made', async () => {
    const store = new PlanStore(200, repaired);
    const release = store.hold('k', plan('mine'));
    for (let i = 0; i < 20; i++) await store.set(`o${i}`, plan(`other${i}`));
    expect(await store.get('k')).toEqual(plan('mine'));
    expect(await store.get('o19')).toEqual(repaired(plan('other19')));
    release();
    expect(await store.get('k')).toBeUndefined();
  });

  it('weighs a plan once, not on every request that holds it', async () => {
    const store = new PlanStore(10_000, repaired);
    let weighed = 0;
    const counted = {
      ...plan('counted'),
      toJSON: () => (weighed++, 'plan'),
    } as unknown as QueryPlan;
    for (let i = 0; i < 5; i++) store.hold('k', counted)();
    // Serialised on the event loop once per request, a 100 KB plan cost every request its JSON.
    expect(weighed).toBe(1);
    expect(await store.get('k')).toBe(counted);
  });
});
