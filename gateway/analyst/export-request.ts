import {
  parseSelection,
  selectionOfDocument,
  SelectionError,
  type VillageSelection,
} from './export-documents.js';

export interface ExportSettings {
  /** Villages per page (a region's page; a batch of codes is also bounded by MAX_ALIASES). */
  pageSize: number;
  maxCodes: number;
  maxPerCaller: number;
  maxTotal: number;
  maxAliases: number;
  maxBodyBytes: number;
  /** How long a write may wait for a client that reads nothing before the export is cut. */
  sendTimeoutMs: number;
}

/** A request refused before any page runs: 400 with this code (and the field at fault). */
export class BadExport extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface ExportRequest {
  sel: VillageSelection;
  fromTrusted: boolean;
  regionCode?: string;
  codes?: string[];
  after?: string;
}

/**
 * `sha256:<hash>` with its hex digits in the lower case the names are kept in: /graphql takes a
 * hash in either case, and the same hash in upper case here named no trusted document.
 */
const hashCase = (document: string) =>
  /^sha256:[0-9A-Fa-f]{64}$/.test(document) ? document.toLowerCase() : document;

const REGION_CODE = /^(\d{2}|\d{4}|\d{6}|\d{9})$/;
const VILLAGE_CODE = /^\d{12}$/;

/**
 * The body of `POST /exports/villages`: a `selection` (or a trusted `document` by name), and a
 * `regionCode` or a list of village `codes`, with an optional `after` cursor to resume from.
 */
export function parseExportRequest(
  raw: unknown,
  settings: Pick<ExportSettings, 'maxBodyBytes' | 'maxCodes' | 'maxAliases'>,
  named: Map<string, string | null>,
): ExportRequest {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new BadExport('BAD_REQUEST', 'The body must be a JSON object.');
  }
  const body = raw as Record<string, unknown>;
  const { selection, document, regionCode, codes, after } = body;
  if ((selection === undefined) === (document === undefined)) {
    throw new BadExport('EXPORT_SELECTION_INVALID', 'Give either `selection` or `document`.');
  }
  let sel: VillageSelection | undefined;
  if (selection !== undefined) {
    if (typeof selection !== 'string') {
      throw new BadExport('EXPORT_SELECTION_INVALID', '`selection` must be a string.');
    }
    try {
      sel = parseSelection(selection, settings.maxBodyBytes);
    } catch (err) {
      if (err instanceof SelectionError)
        throw new BadExport('EXPORT_SELECTION_INVALID', err.message);
      throw err;
    }
  } else {
    const text = typeof document === 'string' ? named.get(hashCase(document)) : undefined;
    if (text === null) {
      throw new BadExport(
        'EXPORT_DOCUMENT_UNKNOWN',
        `Several trusted documents are named ${JSON.stringify(document)}: give \`document\` as "sha256:<hash>" of the one to export.`,
      );
    }
    if (text === undefined) {
      throw new BadExport('EXPORT_DOCUMENT_UNKNOWN', '`document` names no trusted document.');
    }
    sel = selectionOfDocument(text);
    if (!sel) {
      throw new BadExport(
        'EXPORT_SELECTION_INVALID',
        'That trusted document does not select one village (`village(code: $code) { … }`, no other variable).',
      );
    }
  }
  // A page needs one alias of its own (`exportKey`, the village's code whatever is selected).
  if (sel.aliases >= settings.maxAliases) {
    throw new BadExport(
      'EXPORT_SELECTION_INVALID',
      `\`selection\` may use at most ${settings.maxAliases - 1} aliases in an export (one is the export's own).`,
    );
  }
  if (
    regionCode !== undefined &&
    (typeof regionCode !== 'string' || !REGION_CODE.test(regionCode))
  ) {
    throw new BadExport(
      'BAD_USER_INPUT',
      '`regionCode` must be a code of 2, 4, 6 or 9 digits.',
      'regionCode',
    );
  }
  if (
    after !== undefined &&
    (typeof after !== 'string' || after.length === 0 || after.length > 200)
  ) {
    throw new BadExport(
      'BAD_USER_INPUT',
      '`after` must be a cursor of a line of an export.',
      'after',
    );
  }
  if (codes === undefined) {
    if (regionCode === undefined) {
      throw new BadExport('BAD_USER_INPUT', 'Give `regionCode` (or `codes`).', 'regionCode');
    }
    return { sel, fromTrusted: document !== undefined, regionCode, after };
  }
  if (
    !Array.isArray(codes) ||
    codes.length === 0 ||
    codes.length > settings.maxCodes ||
    codes.some((c) => typeof c !== 'string' || !VILLAGE_CODE.test(c))
  ) {
    throw new BadExport(
      'BAD_USER_INPUT',
      `\`codes\` must be 1 to ${settings.maxCodes} village codes of 12 digits.`,
      'codes',
    );
  }
  if (regionCode !== undefined && codes.some((c) => !(c as string).startsWith(regionCode))) {
    throw new BadExport('BAD_USER_INPUT', 'Every code must lie in `regionCode`.', 'codes');
  }
  if (after !== undefined && !VILLAGE_CODE.test(after)) {
    throw new BadExport(
      'BAD_USER_INPUT',
      '`after` must be a cursor of a line of an export.',
      'after',
    );
  }
  const sorted = [...new Set(codes as string[])].sort();
  // A cursor of a codes export is one of its codes. Any other code would resume from wherever it
  // falls among them: another list's cursor (a code past them all) skipped the whole list with
  // a done line, silently.
  if (after !== undefined && !sorted.includes(after)) {
    throw new BadExport(
      'BAD_USER_INPUT',
      '`after` is not a cursor of this export: resume a list of `codes` with the code of its last line received, and the same `codes`.',
      'after',
    );
  }
  return {
    sel,
    fromTrusted: document !== undefined,
    codes: after ? sorted.filter((c) => c > after) : sorted,
    // Given back in a line that stops the export before its first village.
    after,
  };
}
