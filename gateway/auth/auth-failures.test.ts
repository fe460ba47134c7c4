import { describe, expect, it } from 'vitest';
import { createAuthFailures } from './auth-failures.js';

describe('createAuthFailures', () => {
  it('limits an address past its failures until its minute ends, and no other address', () => {
    let now = 120_000 + 15_000;
    const failures = createAuthFailures(2, () => now);
    failures.failed('192.0.2.1');
    expect(failures.limited('192.0.2.1')).toBeUndefined();
    failures.failed('192.0.2.1');
    expect(failures.limited('192.0.2.1')).toBe(45);
    expect(failures.limited('192.0.2.2')).toBeUndefined();
    now = 180_000; // the next minute: counted afresh
    expect(failures.limited('192.0.2.1')).toBeUndefined();
  });

  it('limits nothing at 0', () => {
    const failures = createAuthFailures(0);
    for (let i = 0; i < 5; i++) failures.failed('192.0.2.1');
    expect(failures.limited('192.0.2.1')).toBeUndefined();
  });
});
