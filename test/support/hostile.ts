import type { Rng } from './rng.js';

/* Documents and strings an attacker sends (test/fuzz.test.ts, gateway/limits.test.ts). */

/** `fragment F1 on Query { village(code:"1"){code} }`, F2 = F1 twice, …, `{ ...F<levels> }`. */
export function fragmentBomb(levels: number, width = 2): string {
  const parts = ['fragment F1 on Query { village(code: "1") { code } }'];
  for (let i = 2; i <= levels; i++) {
    parts.push(`fragment F${i} on Query { ${`...F${i - 1} `.repeat(width)}}`);
  }
  return `{ ...F${levels} }\n${parts.join('\n')}`;
}

/** Strings that have broken parsers, escapers, databases and loggers. */
export function oddString(r: Rng): string {
  const pieces = [
    '\u0000',
    '\\',
    '\\\\\\"',
    '"',
    '\u200b\u200c\u200d\ufeff',
    '\ud800',
    '\udfff',
    '\u202e',
    '😀',
    '\n\r\t',
    "'; DROP TABLE village; --",
    '%00%E0%A4%A',
    '${x}',
    '<script>',
    '村',
  ];
  const length = r.pick([1, 3, 20, 200, 5_000, 60_000]);
  let s = '';
  while (s.length < length) s += r.pick(pieces);
  return s;
}
