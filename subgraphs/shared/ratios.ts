/**
 * The one rounding rule of published figures (README: "an exact half up"), computed on the
 * integers the figure comes from, never on a quotient of doubles: 201 / 800 = 0.25125 is
 * 0.251249999… as a double and became 0.2512 where 0.2513 is right.
 */

/** `part / whole` rounded to an integer, an exact half up (towards +∞); `whole` > 0. */
export function roundedQuotient(part: bigint, whole: bigint): bigint {
  const twice = 2n * part + whole;
  const q = 2n * whole;
  // BigInt division truncates towards zero; a negative part needs the floor.
  return twice >= 0n ? twice / q : -((-twice + q - 1n) / q);
}

/**
 * `part / whole` of two integers (counts, or fen as bigint), rounded to `decimals` places with
 * an exact half up; null when `whole` is not positive. Throws on a non-integer input: a rounded
 * or averaged input would round twice.
 */
export function ratioOf(
  part: number | bigint,
  whole: number | bigint,
  decimals = 4,
): number | null {
  const w = BigInt(whole);
  if (w <= 0n) return null;
  const scale = 10n ** BigInt(decimals);
  // The nearest double to the decimal k / 10^d, as the literal would be.
  return Number(roundedQuotient(BigInt(part) * scale, w)) / Number(scale);
}

/** `part / whole` of two counts, rounded to `decimals` places, an exact half up; null when `whole` is 0. */
export function shareOf(part: number, whole: number, decimals = 4): number | null {
  return whole > 0 ? ratioOf(part, whole, decimals) : null;
}

/**
 * An index component (README: "Digital-village index"): `part / whole` clamped to [0, 1] and
 * rounded to 4 decimals, an exact half up; 0 when `whole` is not positive.
 */
export function componentOf(part: number | bigint, whole: number | bigint): number {
  const p = BigInt(part);
  const w = BigInt(whole);
  if (w <= 0n || p <= 0n) return 0;
  return p >= w ? 1 : ratioOf(p, w)!;
}
