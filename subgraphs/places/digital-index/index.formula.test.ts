import { describe, expect, it } from 'vitest';
import { ProvenanceKind } from '../../shared/provenance.js';
import { INDEX_WEIGHTS, byScore, digitalIndex } from './index.formula.js';

const kind = (k: ProvenanceKind) => ({ kind: k }) as never;

const inputs = (k = ProvenanceKind.SYNTHETIC) => ({
  culture: { indexComponents: { code: 'x', coverage: 0.913, usage: 0.7085, provenance: kind(k) } },
  healthcare: {
    indexComponents: {
      code: 'x',
      clinicAccess: 0.9725,
      assistedBookings: 0.5817,
      provenance: kind(k),
    },
  },
  commerce: {
    indexComponents: { code: 'x', stores: 0.3037, onlineRevenue: 0.2028, provenance: kind(k) },
  },
});

describe('digital-village index formula', () => {
  it('has weights that sum to 1', () => {
    const sum = Object.values(INDEX_WEIGHTS).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 12);
  });

  it("scores Zhejiang's published components as README's example does", () => {
    const index = digitalIndex('33', inputs());
    expect(index).toMatchObject({
      code: '33',
      year: 2020,
      score: 64.7,
      components: {
        cultureCoverage: 0.913,
        cultureUsage: 0.7085,
        clinicAccess: 0.9725,
        assistedBookings: 0.5817,
        onlineStores: 0.3037,
        onlineRevenue: 0.2028,
      },
      weights: INDEX_WEIGHTS,
      provenance: {
        kind: 'SYNTHETIC',
        note: 'Synthetic: the culture, healthcare, commerce components are computed from synthetic demo data.',
      },
    });
  });

  it('scores 0 to 100 and says when every input is reported', () => {
    const full = (k: ProvenanceKind) => ({
      culture: { indexComponents: { code: 'x', coverage: 1, usage: 1, provenance: kind(k) } },
      healthcare: {
        indexComponents: { code: 'x', clinicAccess: 1, assistedBookings: 1, provenance: kind(k) },
      },
      commerce: {
        indexComponents: { code: 'x', stores: 1, onlineRevenue: 1, provenance: kind(k) },
      },
    });
    const index = digitalIndex('x', full(ProvenanceKind.REPORTED));
    expect(index.score).toBe(100);
    expect(index.provenance).toMatchObject({
      kind: 'REPORTED',
      note: 'Computed from reported figures only.',
    });
    expect(digitalIndex('x', {}).score).toBe(0);
  });

  it('counts a missing domain as 0 and notes it', () => {
    const { culture, healthcare } = inputs();
    const index = digitalIndex('331124001', { culture, healthcare, commerce: null });
    expect(index.components.onlineStores).toBe(0);
    expect(index.components.onlineRevenue).toBe(0);
    expect(index.score).toBe(
      Math.round(1000 * (0.2 * 0.913 + 0.15 * 0.7085 + 0.2 * 0.9725 + 0.15 * 0.5817)) / 10,
    );
    expect(index.provenance.note).toContain('No figures from commerce: counted as 0.');
  });

  it('orders by score, then code', () => {
    const a = digitalIndex('3302', {});
    const b = digitalIndex('3301', {});
    const c = digitalIndex('3303', inputs());
    expect([a, b, c].sort(byScore).map((i) => i.code)).toEqual(['3303', '3301', '3302']);
  });
});
