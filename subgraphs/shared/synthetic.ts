/**
 * Deterministic randomness for synthetic demo data: the same seed and key always give the same
 * value, so a reload reproduces the data exactly and a different seed changes it.
 */
import { isRuralVillageName, readDivisions } from './divisions.js';

/** 32-bit FNV-1a hash of a string. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small seeded PRNG (mulberry32) returning floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator for one entity, derived from the global seed and the entity's key. */
export function rngFor(seed: number, key: string): () => number {
  return rng(hash32(`${seed}:${key}`));
}

export function intBetween(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/**
 * Which rural villages have a culture auditorium — the one rule both the culture seeder (which
 * generates the auditoriums) and the healthcare seeder (whose assistance points refer to them)
 * apply, so that no generated reference names an auditorium culture does not have. It reads only
 * the public division data and the seed, never another subgraph's tables (docs/data.md, 3.1).
 *
 * - The reported auditoriums (Houcang, Baoshanqiao) always exist.
 * - Zhejiang: exactly round(91.3 % × its rural villages) are covered, whatever part of the
 *   province is loaded: the reported ones plus the villages with the lowest
 *   hash32(`<seed>:auditorium:<code>`).
 * - Elsewhere: a village is covered when that hash, as a share of 2^32, is below its province's
 *   synthetic coverage (55–90 %, drawn from `coverage:<province>`).
 */
export const AUDITORIUM_REPORTED_VILLAGES: ReadonlySet<string> = new Set([
  '330203009205', // Houcang, Haishu district, Ningbo
  '330603011258', // 宝善桥 (Baoshanqiao), Keqiao district, Shaoxing
]);
/** Reported: 91.3 % of Zhejiang's rural villages had a culture auditorium at the end of 2020. */
export const ZHEJIANG_AUDITORIUM_COVERAGE = 0.913;

export interface AuditoriumCoverage {
  /** Whether a rural village (a row of the division data: `code`, `provinceCode`) has one. */
  covers(village: Readonly<Record<string, string>>): boolean;
  /** Zhejiang's calibrated auditorium count, when the scope touches Zhejiang. */
  zhejiangTarget: number | null;
}

function auditoriumHash(seed: number, code: string): number {
  return hash32(`${seed}:auditorium:${code}`);
}

/** Elsewhere coverage is synthetic: a per-province share between 55 % and 90 %. */
export function provinceAuditoriumCoverage(seed: number, provinceCode: string): number {
  return 0.55 + 0.35 * rngFor(seed, `coverage:${provinceCode}`)();
}

/**
 * The auditorium coverage rule for a seed and a scope prefix. Inside Zhejiang it reads the
 * province's rural villages once (from the division data) to find the calibration threshold.
 */
export async function auditoriumCoverage(
  seed: number,
  prefix: string,
): Promise<AuditoriumCoverage> {
  const inZhejiang = '33'.startsWith(prefix) || prefix.startsWith('33');
  let threshold = -1;
  let target: number | null = null;
  if (inZhejiang) {
    const hashes: number[] = [];
    let rural = 0;
    for await (const v of readDivisions('villages', '33')) {
      if (!isRuralVillageName(v.name)) continue;
      rural++;
      if (!AUDITORIUM_REPORTED_VILLAGES.has(v.code)) hashes.push(auditoriumHash(seed, v.code));
    }
    hashes.sort((a, b) => a - b);
    target = Math.round(rural * ZHEJIANG_AUDITORIUM_COVERAGE);
    // target villages in all: the reported ones plus the lowest hashes.
    threshold = hashes[target - AUDITORIUM_REPORTED_VILLAGES.size - 1];
  }
  const shares = new Map<string, number>();
  return {
    zhejiangTarget: target,
    covers({ code, provinceCode }) {
      if (AUDITORIUM_REPORTED_VILLAGES.has(code)) return true;
      const h = auditoriumHash(seed, code);
      if (provinceCode === '33') return h <= threshold;
      let share = shares.get(provinceCode);
      if (share === undefined) {
        share = provinceAuditoriumCoverage(seed, provinceCode);
        shares.set(provinceCode, share);
      }
      return h / 2 ** 32 < share;
    },
  };
}
