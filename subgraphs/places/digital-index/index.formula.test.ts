import { describe, expect, it } from 'vitest';
import { ProvenanceKind } from '../../shared/provenance.js';
import { INDEX_WEIGHTS, byScore, digitalIndex, scorable, unanswered } from './index.formula.js';

const kind = (k: ProvenanceKind) => ({ kind: k }) as never;

const common = (k: ProvenanceKind) => ({ code: 'x', hasFigures: true, provenance: kind(k) });
const inputs = (k = ProvenanceKind.SYNTHETIC) => ({
  cultureIndexInput: { ...common(k), coverage: 0.913, usage: 0.7085 },
  healthcareIndexInput: { ...common(k), clinicAccess: 0.9725, assistedBookings: 0.5817 },
  commerceIndexInput: { ...common(k), stores: 0.3037, onlineRevenue: 0.2028 },
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

  it('rounds an exact half of a tenth up, as the formula reads with the published values', () => {
    // Village 330803110219 of the demo data: 0.2 + 0.15 + 0.15 × 0.3139 + 0.15 + 0.15 × 0.4761
    // = 0.6185, index 61.85 → 61.9; summed as doubles it was 0.6184999… and scored 61.8.
    const k = ProvenanceKind.SYNTHETIC;
    const village = digitalIndex('330803110219', {
      cultureIndexInput: { ...common(k), coverage: 1, usage: 1 },
      healthcareIndexInput: { ...common(k), clinicAccess: 0, assistedBookings: 0.3139 },
      commerceIndexInput: { ...common(k), stores: 1, onlineRevenue: 0.4761 },
    });
    expect(village.score).toBe(61.9);
    // Township 330303001: Σ = 0.6115 → 61.2 (it was 61.1).
    const township = digitalIndex('330303001', {
      cultureIndexInput: { ...common(k), coverage: 1, usage: 0.5615 },
      healthcareIndexInput: { ...common(k), clinicAccess: 0.9286, assistedBookings: 0.527 },
      commerceIndexInput: { ...common(k), stores: 0.25, onlineRevenue: 0.1667 },
    });
    expect(township.score).toBe(61.2);
  });

  it('scores 0 to 100 and says when every input is reported', () => {
    const full = (k: ProvenanceKind) => ({
      cultureIndexInput: { ...common(k), coverage: 1, usage: 1 },
      healthcareIndexInput: { ...common(k), clinicAccess: 1, assistedBookings: 1 },
      commerceIndexInput: { ...common(k), stores: 1, onlineRevenue: 1 },
    });
    const index = digitalIndex('x', full(ProvenanceKind.REPORTED));
    expect(index.score).toBe(100);
    expect(index.provenance).toMatchObject({
      kind: 'REPORTED',
      note: 'Computed from reported figures only.',
    });
    expect(digitalIndex('x', {}).score).toBe(0);
  });

  it('counts a domain without figures as 0 and notes it', () => {
    const { cultureIndexInput, healthcareIndexInput } = inputs();
    const none = { ...common(ProvenanceKind.SYNTHETIC), hasFigures: false, stores: 0.5 };
    const commerceIndexInput = { ...none, onlineRevenue: 0.5 };
    const all = { cultureIndexInput, healthcareIndexInput, commerceIndexInput };
    const index = digitalIndex('331124001', all);
    expect(unanswered(all)).toEqual([]);
    expect(scorable(all)).toBe(true);
    expect(index.components.onlineStores).toBe(0);
    expect(index.components.onlineRevenue).toBe(0);
    expect(index.score).toBe(
      Math.round(1000 * (0.2 * 0.913 + 0.15 * 0.7085 + 0.2 * 0.9725 + 0.15 * 0.5817)) / 10,
    );
    expect(index.provenance.note).toContain('No figures from commerce: counted as 0.');
  });

  it('tells a domain that did not answer from one without figures', () => {
    const { cultureIndexInput, healthcareIndexInput, commerceIndexInput } = inputs();
    // The gateway leaves a domain's input out of the representation when it did not answer.
    expect(unanswered({ healthcareIndexInput, commerceIndexInput })).toEqual(['culture']);
    expect(unanswered({ cultureIndexInput, healthcareIndexInput: null })).toEqual([
      'healthcare',
      'commerce',
    ]);
    expect(unanswered(null)).toEqual(['culture', 'healthcare', 'commerce']);
    const none = <T extends object>(input: T) => ({ ...input, hasFigures: false });
    expect(
      scorable({
        cultureIndexInput: none(cultureIndexInput),
        healthcareIndexInput: none(healthcareIndexInput),
        commerceIndexInput: none(commerceIndexInput),
      }),
    ).toBe(false);
  });

  it('orders by score, then code', () => {
    const a = digitalIndex('3302', {});
    const b = digitalIndex('3301', {});
    const c = digitalIndex('3303', inputs());
    expect([a, b, c].sort(byScore).map((i) => i.code)).toEqual(['3303', '3301', '3302']);
  });
});
