import { createHash } from 'node:crypto';
import { badUserInput } from './errors.js';

/**
 * Page cursors: opaque to clients, inside `k:<key>` (the sort key of the last item seen) or, for
 * a named list (pagination.ts, listPage), `l:<tag>:<key>`, the tag naming the list.
 */

export const CURSOR_PREFIX = 'k:';
/** A named list's cursors: `l:<tag>:<key>` (listPage). */
export const LIST_PREFIX = 'l:';

/**
 * 11 base64url characters (66 bits) of the SHA-256 of the list's name, written with its objects'
 * keys in order and without their null members (no filter, `filter: {}` and `filter: { kind:
 * null }` name the same list).
 */
export function listTag(list: unknown[]): string {
  return createHash('sha256').update(canonical(list)).digest('base64url').slice(0, 11);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    if (entries.length === 0) return 'null';
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function anotherList() {
  return badUserInput('`after` is a cursor of another list.', 'after');
}

/** Cursors are opaque to clients; inside they carry the sort key of the last item seen. */
export function encodeCursor(key: string, prefix = CURSOR_PREFIX): string {
  return Buffer.from(prefix + key, 'utf8').toString('base64url');
}

export function decodeCursor(
  cursor: string | null | undefined,
  argName = 'after',
  prefix = CURSOR_PREFIX,
): string | null {
  if (cursor === null || cursor === undefined) return null;
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  // Only the spelling encodeCursor writes: base64url decoding skips stray characters and unused
  // bits, and invalid UTF-8 decodes to replacement characters, so many texts read as one key.
  if (encodeCursor(raw, '') !== cursor) {
    throw badUserInput(`\`${argName}\` is not a cursor returned by this API.`, argName);
  }
  if (!raw.startsWith(prefix) || raw.length === prefix.length) {
    // Another list's cursor (a village list's, another named list's) is told apart.
    if (/^(k:.|l:[\w-]{11}:.)/s.test(raw)) throw anotherList();
    throw badUserInput(`\`${argName}\` is not a cursor returned by this API.`, argName);
  }
  return raw.slice(prefix.length);
}
