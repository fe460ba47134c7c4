import { describe, expect, it } from 'vitest';
import { processCpuTable, type Measurement } from '../report.js';
import { combineRounds, roundOrder } from '../rounds.js';

const m = (gateway: string, rps: number, extra: Partial<Measurement> = {}): Measurement => ({
  gateway,
  workload: 'profile',
  load: {
    requests: rps * 10,
    durationSec: 10,
    rps,
    p50: rps,
    p95: rps,
    p99: rps,
    non200: 0,
    errorBodies: 0,
    transportErrors: 0,
  },
  peakRssMb: rps,
  gatewayCpu: 0.5,
  otherCpu: 1,
  boundBy: 'subgraphs+load',
  ...extra,
});

describe('bench rounds', () => {
  it('reverses the order every other round', () => {
    expect(roundOrder(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
    expect(roundOrder(['a', 'b', 'c'], 1)).toEqual(['c', 'b', 'a']);
    expect(roundOrder(['a', 'b', 'c'], 2)).toEqual(['a', 'b', 'c']);
  });

  it('reports the mean of each gateway’s rounds, and keeps an error or a wrong answer', () => {
    const [ours, stock] = combineRounds([
      [m('ours', 80), m('stock', 120)],
      [m('stock', 100), m('ours', 120, { boundBy: 'gateway' })],
    ]);
    expect(ours.load).toMatchObject({ rps: 100, requests: 2000, durationSec: 20, p99: 100 });
    expect(ours.peakRssMb).toBe(120);
    expect(ours.boundBy).toBe('subgraphs+load/gateway');
    expect(stock.load?.rps).toBe(110);
    const [failed] = combineRounds([[m('hive', 1, { error: 'did not answer' })], [m('hive', 90)]]);
    expect(failed.error).toBe('did not answer');
    const [wrong] = combineRounds([[m('x', 1)], [m('x', 2, { mismatch: 'village: null' })]]);
    expect(wrong.mismatch).toBe('village: null');
  });

  it('averages each process’s CPU over the rounds and prints it per request', () => {
    const [ours] = combineRounds([
      [m('ours', 100, { processCpu: { places: 0.2, culture: 0.4, load: 0.1 } })],
      [m('ours', 100, { processCpu: { places: 0.4, culture: 0.2, load: 0.1 } })],
    ]);
    expect(ours.processCpu!.places).toBeCloseTo(0.3);
    expect(ours.processCpu!.culture).toBeCloseTo(0.3);
    const table = processCpuTable('profile', [ours]);
    // 0.3 cores at 100 req/s = 3 ms of CPU per request; the gateway's 0.5 cores = 5 ms.
    expect(table).toContain('| ours    | 5.00    | 3.00   | 3.00    | 1.00 | 6.00          |');
  });
});
