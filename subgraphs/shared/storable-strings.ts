import { badUserInput } from './errors.js';

/** No lone surrogate: Node's `String.prototype.isWellFormed` (not in this TypeScript lib). */
const wellFormed = (s: string) => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * Refuses a NUL character or a lone surrogate anywhere in `args` (strings at any depth, object
 * keys included), naming the argument path. Databases cannot store NUL in text (PostgreSQL
 * refuses it), and no code or name contains one. A lone surrogate (JSON's `"\ud800"`) is no
 * character at all: PostgreSQL would store U+FFFD, SQLite bytes that are not UTF-8 (read back as
 * three U+FFFD), while the write's own answer echoed the surrogate, so one input had three
 * values. Every string argument of every field is checked.
 */
export function assertStorableStrings(args: unknown, path: string): void {
  // Nearly every argument is fine: checked first without the path of every string (an
  // `_entities` fetch of 20 villages built 60 of them); the walk below names the bad one.
  if (storable(args)) return;
  refuseUnstorable(args, path);
}

/** Whether `args` holds no NUL and no lone surrogate: the same test as refuseUnstorable's. */
function storable(args: unknown): boolean {
  if (typeof args === 'string') return !args.includes('\u0000') && wellFormed(args);
  if (Array.isArray(args)) {
    for (const item of args) if (!storable(item)) return false;
    return true;
  }
  if (args !== null && typeof args === 'object') {
    for (const key in args) {
      if (!Object.hasOwn(args, key)) continue;
      if (!storable(key) || !storable((args as Record<string, unknown>)[key])) return false;
    }
  }
  return true;
}

function refuseUnstorable(args: unknown, path: string): void {
  if (typeof args === 'string') {
    if (args.includes('\u0000')) {
      throw badUserInput(`\`${path}\` must not contain NUL characters.`, path);
    }
    if (!wellFormed(args)) {
      throw badUserInput(
        `\`${path}\` must be well-formed Unicode (it holds half of a surrogate pair).`,
        path,
      );
    }
    return;
  }
  if (Array.isArray(args)) {
    args.forEach((item, i) => refuseUnstorable(item, `${path}[${i}]`));
    return;
  }
  if (args !== null && typeof args === 'object') {
    for (const [key, value] of Object.entries(args)) {
      const at = path ? `${path}.${key}` : key;
      refuseUnstorable(key, at);
      refuseUnstorable(value, at);
    }
  }
}
