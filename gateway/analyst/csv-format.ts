import {
  Kind,
  parse,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type TypeNode,
} from 'graphql';

/**
 * Turning a GraphQL result into CSV: the columns come from the operation's selection (so an
 * empty result still has its header row and a null nested object still has its columns), the
 * cells from the data, encoded per RFC 4180.
 */

function fieldsOf(set: SelectionSetNode): { key: string; selectionSet?: SelectionSetNode }[] {
  const out: { key: string; selectionSet?: SelectionSetNode }[] = [];
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      out.push({ key: s.alias?.value ?? s.name.value, selectionSet: s.selectionSet });
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      out.push(...fieldsOf(s.selectionSet));
    } else {
      throw new Error('CSV operations may not use named fragments.');
    }
  }
  return out;
}

function leafColumns(set: SelectionSetNode, prefix: string): string[] {
  const columns: string[] = [];
  for (const f of fieldsOf(set)) {
    const name = prefix + f.key;
    if (f.selectionSet) columns.push(...leafColumns(f.selectionSet, `${name}.`));
    else if (!columns.includes(name)) columns.push(name);
  }
  return columns;
}

export interface CsvShape {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** Header row: dotted paths of the row's leaf fields. */
  columns: string[];
  /** Path from `data` to the row objects. */
  rows: string[];
  /** Path from `data` to the connection to follow, if any. */
  paginate?: string[];
}

/** Parses a registry document and derives its columns; throws on a malformed entry. */
export function csvShape(document: string, rows: string, paginate?: string): CsvShape {
  const doc = parse(document);
  const operations = doc.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length !== 1 || operations[0].operation !== 'query') {
    throw new Error('A CSV operation is exactly one query.');
  }
  const operation = operations[0];
  const path = rows.split('.');
  let set: SelectionSetNode | undefined = operation.selectionSet;
  for (const key of path) {
    set = fieldsOf(set!).find((f) => f.key === key)?.selectionSet;
    if (!set) throw new Error(`The rows path ${rows} does not reach an object selection.`);
  }
  const hasAfter = operation.variableDefinitions?.some((v) => v.variable.name.value === 'after');
  if (paginate && !hasAfter) throw new Error('A paginated CSV operation needs $after.');
  return {
    document: doc,
    operation,
    columns: leafColumns(set!, ''),
    rows: path,
    paginate: paginate?.split('.'),
  };
}

/** Follows a path through the data; lists on the way are flattened. `undefined` marks a null. */
export function collect(data: unknown, path: string[]): unknown[] | undefined {
  let current: unknown[] = [data];
  for (const key of path) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || value === undefined) return undefined;
      const child = (value as Record<string, unknown>)[key];
      if (Array.isArray(child)) next.push(...child);
      else next.push(child);
    }
    current = next;
  }
  if (current.some((v) => v === null || v === undefined)) return undefined;
  return current;
}

function cellValue(row: unknown, column: string): string {
  let value: unknown = row;
  for (const key of column.split('.')) {
    if (value === null || value === undefined) return '';
    value = (value as Record<string, unknown>)[key];
  }
  if (value === null || value === undefined) return '';
  // A spreadsheet reads the cell, not the items: `-1; =2+3` starts with `-` and is no number.
  if (Array.isArray(value))
    return inert(
      value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : inert(String(v)))).join('; '),
    );
  if (typeof value === 'object') return JSON.stringify(value);
  return typeof value === 'string' ? inert(value) : String(value);
}

/**
 * A text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or
 * a carriage return: names and titles are written by API callers) gets a leading `'`, as OWASP
 * advises for CSV; a plain number (`-12.50`, `-.5`, `-1e3`) is left as it is. In a list, each item
 * and the joined cell.
 */
function inert(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)
    ? `'${text}`
    : text;
}

/**
 * Control characters other than tab and line breaks (NUL, BEL, ESC, DEL, C1…): RFC 4180 has no
 * place for them, Python's csv module stops at a NUL, spreadsheets cut the cell there or drop it.
 */
const CONTROL = /(?![\t\n\r])\p{Cc}/gu;

/**
 * One RFC 4180 field: each control character but tab and line breaks written as U+FFFD (so the
 * cell shows that something was there, and no reader stops at it), then quoted when it holds a
 * comma, a quote or a line break.
 */
export function csvField(text: string): string {
  const clean = text.replace(CONTROL, '\uFFFD');
  return /[",\r\n]/.test(clean) ? `"${clean.replace(/"/g, '""')}"` : clean;
}

/** RFC 4180 text: a header row, then one record per row, CRLF after every record. */
export function toCsv(columns: string[], rows: unknown[]): string {
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(cellValue(row, c))).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** The named type under lists and non-null wrappers, and whether the variable is a list. */
function unwrap(type: TypeNode): { name: string; list: boolean } {
  if (type.kind === Kind.NON_NULL_TYPE) return unwrap(type.type);
  if (type.kind === Kind.LIST_TYPE) return { name: unwrap(type.type).name, list: true };
  return { name: type.name.value, list: false };
}

export class CsvInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * Variables from query-string parameters, coerced by the operation's variable types (Int, Float,
 * Boolean; anything else is sent as a string, for GraphQL to check). `$after` is reserved for
 * pagination.
 */
export function variablesFromQuery(
  operation: OperationDefinitionNode,
  params: URLSearchParams,
): Record<string, unknown> {
  const definitions = new Map(
    (operation.variableDefinitions ?? [])
      .filter((v) => v.variable.name.value !== 'after')
      .map((v) => [v.variable.name.value, v]),
  );
  for (const key of new Set(params.keys())) {
    if (!definitions.has(key)) {
      const known = [...definitions.keys()].join(', ') || 'none';
      throw new CsvInputError(`Unknown parameter "${key}" (this operation takes: ${known}).`, key);
    }
  }
  const variables: Record<string, unknown> = {};
  for (const [name, def] of definitions) {
    const raw = params.getAll(name);
    if (raw.length === 0) {
      if (def.type.kind === Kind.NON_NULL_TYPE && !def.defaultValue) {
        throw new CsvInputError(`Parameter "${name}" is required.`, name);
      }
      continue;
    }
    const { name: typeName, list } = unwrap(def.type);
    if (!list && raw.length > 1) throw new CsvInputError(`Give "${name}" once.`, name);
    const coerce = (text: string): unknown => {
      if (typeName === 'Int' || typeName === 'Float') {
        const pattern = typeName === 'Int' ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
        if (!pattern.test(text)) throw new CsvInputError(`"${name}" must be a number.`, name);
        return Number(text);
      }
      if (typeName === 'Boolean') {
        if (text !== 'true' && text !== 'false') {
          throw new CsvInputError(`"${name}" must be true or false.`, name);
        }
        return text === 'true';
      }
      return text;
    };
    variables[name] = list ? raw.map(coerce) : coerce(raw[0]);
  }
  return variables;
}
