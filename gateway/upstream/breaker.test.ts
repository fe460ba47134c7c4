import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerPermit, type BreakerState } from './breaker.js';

/** A breaker of threshold 3 and reset 1000 ms on a clock the test moves. */
function breaker(trialTimeoutMs = 5_000) {
  const clock = { now: 0 };
  const changes: BreakerState[] = [];
  const b = new CircuitBreaker(
    3,
    1_000,
    (s) => changes.push(s),
    trialTimeoutMs,
    () => clock.now,
  );
  return { b, clock, changes };
}

/** Opens the breaker with three failures. */
function open(b: CircuitBreaker) {
  for (let i = 0; i < 3; i++) b.acquire()!.failure();
  expect(b.current).toBe('open');
}

/** Opens the breaker and moves past the reset time: the next acquire is the half-open trial. */
function trial(setup: ReturnType<typeof breaker>): BreakerPermit {
  open(setup.b);
  setup.clock.now += 1_000;
  const permit = setup.b.acquire();
  expect(permit).toBeDefined();
  expect(setup.b.current).toBe('half-open');
  return permit!;
}

describe('CircuitBreaker', () => {
  it('stays closed below the threshold, and a success resets the count', () => {
    const { b, changes } = breaker();
    b.acquire()!.failure();
    b.acquire()!.failure();
    b.acquire()!.success();
    b.acquire()!.failure();
    b.acquire()!.failure();
    expect(b.current).toBe('closed');
    expect(changes).toEqual([]);
  });

  it('opens after the threshold and refuses until the reset time has passed', () => {
    const { b, clock, changes } = breaker();
    open(b);
    expect(changes).toEqual(['open']);
    clock.now += 999;
    expect(b.acquire()).toBeUndefined();
    clock.now += 1;
    expect(b.acquire()).toBeDefined();
    expect(changes).toEqual(['open', 'half-open']);
  });

  it('lets one trial through when half-open, and refuses others while it runs', () => {
    const setup = breaker();
    trial(setup);
    expect(setup.b.acquire()).toBeUndefined();
    expect(setup.b.acquire()).toBeUndefined();
  });

  it('closes on a successful trial', () => {
    const setup = breaker();
    trial(setup).success();
    expect(setup.b.current).toBe('closed');
    expect(setup.changes).toEqual(['open', 'half-open', 'closed']);
    // Closed again: the failure count starts from zero.
    setup.b.acquire()!.failure();
    setup.b.acquire()!.failure();
    expect(setup.b.current).toBe('closed');
  });

  it('opens again on a failed trial, for another reset period', () => {
    const setup = breaker();
    trial(setup).failure();
    expect(setup.b.current).toBe('open');
    expect(setup.b.acquire()).toBeUndefined();
    setup.clock.now += 1_000;
    expect(setup.b.acquire()).toBeDefined();
    expect(setup.changes).toEqual(['open', 'half-open', 'open', 'half-open']);
  });

  it('frees the trial slot on a released trial (client error): the next request is the trial', () => {
    const setup = breaker();
    trial(setup).release();
    expect(setup.b.current).toBe('half-open');
    const next = setup.b.acquire();
    expect(next).toBeDefined();
    expect(setup.b.acquire()).toBeUndefined();
    next!.success();
    expect(setup.b.current).toBe('closed');
  });

  it('never stays half-open for good: released trials in a row each free the slot', () => {
    const setup = breaker();
    trial(setup).release();
    for (let i = 0; i < 10; i++) setup.b.acquire()!.release();
    setup.b.acquire()!.success();
    expect(setup.b.current).toBe('closed');
  });

  it('gives up a trial that is never settled after the trial timeout', () => {
    const setup = breaker(2_000);
    const lost = trial(setup);
    setup.clock.now += 1_999;
    expect(setup.b.acquire()).toBeUndefined();
    setup.clock.now += 1;
    const replacement = setup.b.acquire();
    expect(replacement).toBeDefined();
    // The lost trial settling late decides nothing; the replacement does.
    lost.failure();
    expect(setup.b.current).toBe('half-open');
    replacement!.success();
    expect(setup.b.current).toBe('closed');
  });

  it('counts only the first settlement of a permit (a release in `finally` is harmless)', () => {
    const setup = breaker();
    const permit = trial(setup);
    permit.success();
    permit.release();
    permit.failure();
    expect(setup.b.current).toBe('closed');
    const closedPermit = setup.b.acquire()!;
    closedPermit.failure();
    closedPermit.failure();
    closedPermit.failure();
    expect(setup.b.current).toBe('closed');
  });

  it('does not count released requests against a closed breaker', () => {
    const { b, changes } = breaker();
    for (let i = 0; i < 20; i++) b.acquire()!.release();
    b.acquire()!.failure();
    b.acquire()!.failure();
    expect(b.current).toBe('closed');
    expect(changes).toEqual([]);
  });
});
