/**
 * `part / whole` of two counts, rounded to `decimals` places with an exact half going up; null
 * when `whole` is 0. Scaled before it divides: the quotient first loses exact halves to binary
 * (201 / 400 = 0.5025 is 0.502499999… as a double, and 201 of 400 villages covered became
 * 50.2 % where 50.3 % is right). Counts up to 2^53 / 10^decimals stay exact.
 */
export function shareOf(part: number, whole: number, decimals = 4): number | null {
  if (!(whole > 0)) return null;
  const scale = 10 ** decimals;
  return Math.round((part * scale) / whole) / scale;
}
