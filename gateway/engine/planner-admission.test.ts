import { describe, expect, it } from 'vitest';
import { PlanTimeoutError } from './fallback-planner.js';
import {
  MAX_PLANNING_PER_CALLER,
  MAX_WAITING_PER_CALLER,
  PlannerAdmission,
} from './planner-admission.js';

/** A plan that settles when the test says so. */
function deferred() {
  let settle!: { resolve: (v: string) => void; reject: (e: Error) => void };
  const promise = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  return { promise, ...settle };
}

describe('PlannerAdmission', () => {
  it('plans a few operations of a caller at a time; the rest wait their turn, others do not', async () => {
    const admission = new PlannerAdmission(10_000);
    const held = Array.from({ length: MAX_PLANNING_PER_CALLER }, () => deferred());
    const running = held.map((d) => admission.run('anon:a', () => d.promise));
    let started = false;
    const more = admission.run('anon:a', async () => ((started = true), 'more'));
    await expect(admission.run('anon:b', async () => 'other')).resolves.toBe('other');
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toBe(false); // its caller's places are all taken
    held[0].resolve('first');
    await expect(running[0]).resolves.toBe('first');
    await expect(more).resolves.toBe('more');
    held[1].resolve('second');
    held[2].resolve('third');
    await Promise.all(running);
    await expect(admission.run('anon:a', async () => 'next')).resolves.toBe('next');
  });

  it('bounds the line of a caller and the wait in it', async () => {
    const admission = new PlannerAdmission(10_000, Date.now, 50);
    const held = deferred();
    const busy = Array.from({ length: MAX_PLANNING_PER_CALLER }, () =>
      admission.run('anon:a', () => held.promise),
    );
    const line = Array.from({ length: MAX_WAITING_PER_CALLER }, () =>
      admission.run('anon:a', async () => 'late'),
    );
    await expect(admission.run('anon:a', async () => 'x')).rejects.toThrow(
      `${MAX_PLANNING_PER_CALLER + MAX_WAITING_PER_CALLER} operations of yours are being planned or waiting for it;`,
    );
    for (const waiting of line) await expect(waiting).rejects.toThrow(/within 50 ms/);
    held.resolve('done');
    await Promise.all(busy);
    await expect(admission.run('anon:a', async () => 'again')).resolves.toBe('again');
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
