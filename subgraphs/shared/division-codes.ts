import { regionCode as regionCodeFormat } from './arguments.js';
import { badUserInput } from './errors.js';
import { readDivisionCodes, type DivisionFile } from './divisions.js';

/**
 * The official division list (the public dataset places loads, see divisions.ts) as a code
 * lookup for write validation: any subgraph may read this reference data, none reads places'
 * tables. Loaded once per process on first use (about 620,000 village codes held as a sorted
 * Float64Array, ~5 MB; a 12-digit code is exact in a double).
 */
const FILE_OF_LENGTH: Record<number, DivisionFile> = {
  2: 'provinces',
  4: 'cities',
  6: 'areas',
  9: 'streets',
  12: 'villages',
};

const indexes = new Map<number, Promise<Float64Array>>();

async function load(file: DivisionFile): Promise<Float64Array> {
  return Float64Array.from(await readDivisionCodes(file)).sort();
}

function codesOfLength(length: number): Promise<Float64Array> {
  let index = indexes.get(length);
  if (!index) {
    index = load(FILE_OF_LENGTH[length]);
    index.catch(() => indexes.delete(length));
    indexes.set(length, index);
  }
  return index;
}

function has(sorted: Float64Array, code: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] === code) return true;
    if (sorted[mid] < code) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The first index of `sorted` whose value is at least `value`. */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Village-level units of the official list whose code starts with `prefix` ('' for all). */
export async function villagesUnder(prefix: string): Promise<number> {
  if (!/^\d{0,12}$/.test(prefix)) return 0;
  const codes = await codesOfLength(12);
  const scale = 10 ** (12 - prefix.length);
  const low = Number(prefix || '0') * scale;
  return lowerBound(codes, low + scale) - lowerBound(codes, low);
}

/** Whether `code` (2, 4, 6, 9 or 12 digits) is a division in the official list. */
export async function isKnownDivision(code: string): Promise<boolean> {
  if (!/^\d+$/.test(code) || !(code.length in FILE_OF_LENGTH)) return false;
  return has(await codesOfLength(code.length), Number(code));
}

/** A 12-digit village code in the official division list. */
export async function villageCode(value: string, field: string): Promise<string> {
  if (typeof value !== 'string' || !/^\d{12}$/.test(value)) {
    throw badUserInput(`\`${field}\` must be a 12-digit village code.`, field);
  }
  if (!(await isKnownDivision(value))) {
    throw badUserInput(`\`${field}\` is not a village in the official division list.`, field);
  }
  return value;
}

/** A region code (2, 4, 6, 9 or 12 digits) in the official division list. */
export async function regionCode(value: string, field: string): Promise<string> {
  regionCodeFormat(value, field, { village: true });
  if (!(await isKnownDivision(value))) {
    throw badUserInput(`\`${field}\` is not a region in the official division list.`, field);
  }
  return value;
}
