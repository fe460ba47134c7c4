import { describe, expect, it } from 'vitest';
import { PlanTimeoutError } from './fallback-planner.js';
import { MAX_PLANNING_PER_CALLER, PlannerAdmission } from './planner-admission.js';

/** A plan that settles when the test says so. */
function deferred() {
  let settle!: { resolve: (v: string) => void; reject: (e: Error) => void };
  const promise = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  return { promise, ...settle };
}

describe('PlannerAdmission', () => {
  it('plans a few operations of a caller at a time; other callers are not held back', async () => {
    const admission = new PlannerAdmission(10_000);
    const held = Array.from({ length: MAX_PLANNING_PER_CALLER }, () => deferred());
    const running = held.map((d) => admission.run('anon:a', () => d.promise));
    await expect(admission.run('anon:a', async () => 'more')).rejects.toThrow(PlanTimeoutError);
    await expect(admission.run('anon:b', async () => 'other')).resolves.toBe('other');
    held[0].resolve('first');
    await expect(running[0]).resolves.toBe('first');
    await expect(admission.run('anon:a', async () => 'next')).resolves.toBe('next');
  });

  it('pauses a caller whose plan timed out, and only for the cool-down', async () => {
    let clock = 0;
    const admission = new PlannerAdmission(10_000, () => clock);
    // A wait that ran out behind others' plans is not this caller's doing: no pause.
    const waited = () => Promise.reject(new PlanTimeoutError('no plan within 10000 ms'));
    await expect(admission.run('anon:a', waited)).rejects.toThrow('no plan');
    await expect(admission.run('anon:a', async () => 'w')).resolves.toBe('w');
    const timeout = () => Promise.reject(new PlanTimeoutError('slow', true));
    await expect(admission.run('anon:a', timeout)).rejects.toThrow('slow');
    await expect(admission.run('anon:a', async () => 'x')).rejects.toThrow(/a moment ago/);
    await expect(admission.run('anon:b', async () => 'y')).resolves.toBe('y');
    clock += 10_001;
    await expect(admission.run('anon:a', async () => 'z')).resolves.toBe('z');
    // Another failure (the planner's own error) is the document's, not a reason to pause.
    await expect(admission.run('anon:c', () => Promise.reject(new Error('bad')))).rejects.toThrow();
    await expect(admission.run('anon:c', async () => 'ok')).resolves.toBe('ok');
  });
});
