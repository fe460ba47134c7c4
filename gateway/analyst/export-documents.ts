import {
  Kind,
  parse,
  print,
  visit,
  type DefinitionNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { sha256 } from '../operations/documents.js';

/**
 * The GraphQL side of `POST /exports/villages` (exports.ts): the caller's selection on
 * `Village`, the page documents the export runs through the gateway's own pipeline, and the
 * split of a page's answer into one line per village.
 */

/** Operation names of the documents an export runs (labelled in metrics, named in audit lines). */
export const EXPORT_OPERATIONS = ['VillageExport', 'VillageExportCodes'] as const;

/** A selection the caller may not export (400 EXPORT_SELECTION_INVALID). */
export class SelectionError extends Error {}

export interface VillageSelection {
  /** `{ … }` on Village, printed. */
  selection: string;
  /** Named fragments the selection spreads, printed. */
  fragments: string;
  /** Aliases the caller's selection uses (they count against MAX_ALIASES per batch). */
  aliases: number;
}

/**
 * The selection and its fragments, printed, with their aliases counted; undefined when they use
 * a variable. A page has variables of its own (`$regionCode`, `$first`, `$after`, `$c0`…), and a
 * selection naming one took them: `stores(after: $after)` answered the first page and refused
 * every later one, `stores(first: $first)` varied with the page size.
 */
function fromParts(
  set: SelectionSetNode,
  fragments: readonly FragmentDefinitionNode[],
): VillageSelection | undefined {
  let aliases = 0;
  let variables = 0;
  const count = (node: SelectionSetNode | FragmentDefinitionNode) =>
    visit(node, {
      Field(f) {
        if (f.alias) aliases += 1;
      },
      Variable() {
        variables += 1;
      },
    });
  count(set);
  for (const f of fragments) count(f);
  if (variables > 0) return undefined;
  return { selection: print(set), fragments: fragments.map((f) => print(f)).join('\n'), aliases };
}

/**
 * A caller's selection text: one selection set (`{ code name … }`), optionally followed by
 * fragment definitions it spreads. Anything else (an operation, variables) is refused here;
 * whether the fields exist on Village is checked by the pipeline's validation.
 */
export function parseSelection(text: string, maxLength: number): VillageSelection {
  if (text.length === 0 || text.length > maxLength) {
    throw new SelectionError(`\`selection\` must be 1 to ${maxLength} characters.`);
  }
  let definitions: readonly DefinitionNode[];
  try {
    definitions = parse(text, { noLocation: true }).definitions;
  } catch {
    throw new SelectionError('`selection` is not a GraphQL selection set such as `{ code name }`.');
  }
  const [first, ...rest] = definitions;
  const shorthand =
    first.kind === Kind.OPERATION_DEFINITION &&
    !first.name &&
    !first.variableDefinitions?.length &&
    !first.directives?.length &&
    text.trimStart().startsWith('{');
  if (!shorthand || rest.some((d) => d.kind !== Kind.FRAGMENT_DEFINITION)) {
    throw new SelectionError(
      '`selection` must be one selection set on Village (`{ code name … }`), optionally followed by fragment definitions.',
    );
  }
  const sel = fromParts(first.selectionSet, rest as FragmentDefinitionNode[]);
  if (!sel) {
    throw new SelectionError(
      '`selection` may not use variables: an export has none to give it (write the values in).',
    );
  }
  return sel;
}

/**
 * The selection of a trusted document usable for exports: an operation whose only root field is
 * `village(code: …)`; what it selects on the village is exported. Undefined when it is not one,
 * or when that selection uses a variable (an export gives only the village).
 */
export function selectionOfDocument(text: string): VillageSelection | undefined {
  let definitions: readonly DefinitionNode[];
  try {
    definitions = parse(text, { noLocation: true }).definitions;
  } catch {
    return undefined;
  }
  const operations = definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || operations[0].operation !== 'query') return undefined;
  const roots = operations[0].selectionSet.selections;
  const root = roots[0];
  if (roots.length !== 1 || root.kind !== Kind.FIELD || root.name.value !== 'village') return;
  if (!root.selectionSet || root.directives?.length) return undefined;
  const fragments = definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  return fromParts(root.selectionSet, fragments);
}

/**
 * The trusted documents an export's `document` can name: each by its operation name, and each by
 * `sha256:<hash>` of its text. A name that several documents hold (versions of one operation
 * registered side by side) names none of them (null): the export took whichever came last in
 * the manifest, silently another selection than the partner's; the hash picks one.
 */
export function documentsByName(texts: Iterable<string>): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const text of texts) {
    out.set(`sha256:${sha256(text)}`, text);
    try {
      for (const d of parse(text, { noLocation: true }).definitions) {
        if (d.kind !== Kind.OPERATION_DEFINITION || !d.name) continue;
        const had = out.get(d.name.value);
        out.set(d.name.value, had === undefined || had === text ? text : null);
      }
    } catch {
      // an unparsable document names nothing
    }
  }
  return out;
}

/**
 * A page of a region's villages, in code order, with the caller's selection on each. The region
 * is asked for on the first page of a request only (`$withRegion`): it tells an unknown code
 * (404), which a later page cannot change.
 */
export function regionPageDocument(sel: VillageSelection): string {
  return `query VillageExport($regionCode: ID!, $first: Int!, $after: String, $withRegion: Boolean!) {
  region(code: $regionCode) @include(if: $withRegion) { code }
  villages(filter: { regionCode: $regionCode }, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { cursor exportKey: node { code } node ${sel.selection} }
  }
}
${sel.fragments}`;
}

/**
 * A batch of villages by code: `v0: village(code: $c0) { ...VillageExportSelection }`, one alias
 * each; the selection is written once, as a fragment, so the document grows by a line a village.
 */
export function codesBatchDocument(sel: VillageSelection, count: number): string {
  // A name none of the caller's fragments has: the selection a region export takes is taken here.
  let name = 'VillageExportSelection';
  while (new RegExp(`^fragment ${name} `, 'm').test(sel.fragments)) name += '_';
  const vars = Array.from({ length: count }, (_, i) => `$c${i}: ID!`).join(', ');
  const fields = Array.from(
    { length: count },
    (_, i) => `  v${i}: village(code: $c${i}) { ...${name} }`,
  ).join('\n');
  return `query VillageExportCodes(${vars}) {
${fields}
}
fragment ${name} on Village ${sel.selection}
${sel.fragments}`;
}

export interface PageError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
  locations?: unknown;
}

export interface VillageLine {
  cursor: string;
  code: string;
  data: Record<string, unknown> | null;
  errors?: PageError[];
}

/**
 * Splits a page's errors by village: an error at `prefix(i) + rest` belongs to village i, with
 * its path made relative to the village (`rest`); errors of no village go to every village.
 */
function errorsByVillage(
  errors: PageError[] | undefined,
  count: number,
  villageOf: (path: (string | number)[]) => { index: number; rest: (string | number)[] } | null,
): PageError[][] {
  const out: PageError[][] = Array.from({ length: count }, () => []);
  for (const e of errors ?? []) {
    const { locations: _locations, ...error } = e; // locations of the generated document
    const hit = e.path ? villageOf(e.path) : null;
    if (hit && hit.index < count) out[hit.index].push({ ...error, path: hit.rest });
    else if (!hit) for (const list of out) list.push(error);
  }
  return out;
}

interface RegionPageData {
  region?: { code: string } | null;
  villages?: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; exportKey: { code: string }; node: Record<string, unknown> | null }[];
  } | null;
}

/**
 * A region page's answer as lines, with where the next page starts (null: none); `missing` when
 * the region does not exist (`region` null, not for an error): a mistyped code exported nothing
 * and ended `done`, as a region without villages does, and a partner's copy was emptied by it.
 */
export function regionPageLines(body: {
  data?: RegionPageData | null;
  errors?: PageError[];
}): { lines: VillageLine[]; next: string | null } | { missing: PageError[] } | undefined {
  if (body.data?.region === null && !body.errors?.some((e) => e.path?.[0] === 'region')) {
    const message = 'No region has this `regionCode`.';
    return { missing: [{ message, extensions: { code: 'NOT_FOUND', field: 'regionCode' } }] };
  }
  const page = body.data?.villages;
  if (!page) return undefined;
  const errors = errorsByVillage(body.errors, page.edges.length, (path) => {
    if (path[0] !== 'villages' || path[1] !== 'edges' || typeof path[2] !== 'number') return null;
    if (path[3] === 'exportKey') return { index: Number.MAX_SAFE_INTEGER, rest: [] };
    return { index: path[2], rest: path.slice(4) };
  });
  const lines = page.edges.map((edge, i) => ({
    cursor: edge.cursor,
    code: edge.exportKey.code,
    data: edge.node,
    ...(errors[i].length ? { errors: errors[i] } : {}),
  }));
  const next = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  return { lines, next };
}

/** A codes batch's answer as lines (the cursor of a codes export is the village code). */
export function codesBatchLines(
  codes: string[],
  body: { data?: Record<string, Record<string, unknown> | null> | null; errors?: PageError[] },
): VillageLine[] | undefined {
  const data = body.data;
  if (!data) return undefined;
  const errors = errorsByVillage(body.errors, codes.length, (path) => {
    const m = typeof path[0] === 'string' ? /^v(\d+)$/.exec(path[0]) : null;
    return m ? { index: Number(m[1]), rest: path.slice(1) } : null;
  });
  return codes.map((code, i) => ({
    cursor: code,
    code,
    data: data[`v${i}`] ?? null,
    ...(errors[i].length ? { errors: errors[i] } : {}),
  }));
}
