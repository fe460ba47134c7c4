/**
 * The codes starting with `prefix` (a region or village code, digits only; codes are at most
 * 12 digits) as a range an index answers. SQLite reads every row for `LIKE 'prefix%'` (its LIKE
 * ignores case, so a binary index cannot serve it): a county's auditoriums read all 331,086 of
 * the national data, 70-100 ms a statement; the range reads the county's rows alone.
 */
export function codesUnder(prefix: string): { $gte: string; $lte: string } {
  return { $gte: prefix, $lte: prefix.padEnd(12, '9') };
}
