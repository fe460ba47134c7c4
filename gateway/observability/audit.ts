import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pino, type Logger } from 'pino';

/**
 * One line per request: who called, which operation (name and SHA-256 of the document), which
 * sensitive fields it touched, how it ended and how long it took. Never variable values,
 * documents, keys or tokens.
 */
export interface AuditEntry {
  requestId: string;
  caller: string;
  callerKind: string;
  callerName?: string;
  owner?: string;
  operationName?: string;
  operationType?: string;
  documentHash?: string;
  sensitiveFields?: string[];
  /** HTTP status sent. */
  status: number;
  /** `ok`, `partial` (some errors) or the rejection code. */
  result: string;
  errorCodes?: string[];
  durationMs: number;
}

/** Longest string written (an operation name may be as long as the body limit). */
export const MAX_LOGGED_CHARS = 256;
/** Most entries of a list written (sensitive fields, error codes). */
export const MAX_LOGGED_ITEMS = 50;

/** Cuts a caller-chosen string to MAX_LOGGED_CHARS, saying how long it was. */
export function truncateForLog(value: string): string {
  if (value.length <= MAX_LOGGED_CHARS) return value;
  return `${value.slice(0, MAX_LOGGED_CHARS)}…(${value.length} chars)`;
}

/** The entry as written: every string and list bounded, whatever the caller sent. */
export function boundedEntry(entry: AuditEntry): AuditEntry {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (typeof value === 'string') out[key] = truncateForLog(value);
    else if (Array.isArray(value)) {
      const items = value.slice(0, MAX_LOGGED_ITEMS).map((v) => truncateForLog(String(v)));
      if (value.length > MAX_LOGGED_ITEMS) items.push(`…(${value.length} items)`);
      out[key] = items;
    } else out[key] = value;
  }
  return out as unknown as AuditEntry;
}

export type AuditLog = { write: (entry: AuditEntry) => void; close: () => void };

/** A separate file when AUDIT_LOG_PATH is set (`-` = stdout), else a child of the main logger. */
export function createAuditLog(path: string | undefined, logger: Logger): AuditLog {
  if (!path) {
    const child = logger.child({ stream: 'audit' });
    return { write: (e) => child.info(boundedEntry(e), 'audit'), close: () => {} };
  }
  if (path !== '-') mkdirSync(dirname(path), { recursive: true });
  // Synchronous writes: an audit line is not lost when the process stops abruptly.
  const destination = pino.destination({ dest: path === '-' ? 1 : path, sync: true, mkdir: true });
  const audit = pino({ base: { stream: 'audit' }, level: 'info' }, destination);
  return {
    write: (e) => audit.info(boundedEntry(e), 'audit'),
    close: () => destination.flushSync?.(),
  };
}
