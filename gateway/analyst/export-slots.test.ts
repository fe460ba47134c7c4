import { describe, expect, it } from 'vitest';
import type { Identity } from '../context.js';
import { createExportSlots, type ExportSlot } from './export-slots.js';

const caller = (id: string): Identity => ({
  kind: 'api-key',
  id,
  authenticated: true,
  scopes: [],
  quota: { perMinute: 0, perDay: 0 },
  trustedDocumentsOnly: false,
});
const a = caller('key:a');
const b = caller('key:b');

describe('export slots', () => {
  it("free the caller's slot when its client leaves, and the process's only when the page ends", () => {
    const slots = createExportSlots({ maxPerCaller: 1, maxTotal: 2 });
    const first = slots.acquire(a) as ExportSlot;
    expect(slots.acquire(a)).toBe('EXPORT_CONCURRENCY_LIMITED');
    first.left();
    const again = slots.acquire(a);
    expect(typeof again).toBe('object');
    // The left export's page still runs: it counts in the process's two.
    expect(slots.total()).toBe(2);
    expect(slots.acquire(b)).toBe('EXPORTS_BUSY');
    first.end();
    expect(slots.total()).toBe(1);
    expect(typeof slots.acquire(b)).toBe('object');
  });

  it('let a caller leave and come back with at most EXPORT_MAX_PER_CALLER pages left running', () => {
    const slots = createExportSlots({ maxPerCaller: 1, maxTotal: 8 });
    const first = slots.acquire(a) as ExportSlot;
    first.left();
    const second = slots.acquire(a) as ExportSlot;
    second.left(); // one page of a's is already running without its client: this one keeps its slot
    expect(slots.acquire(a)).toBe('EXPORT_CONCURRENCY_LIMITED');
    expect(slots.total()).toBe(2);
    first.end();
    second.end();
    second.end(); // ending twice frees nothing twice
    expect(slots.total()).toBe(0);
    expect(typeof slots.acquire(a)).toBe('object');
  });
});
