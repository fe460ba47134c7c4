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

export type AuditLog = { write: (entry: AuditEntry) => void; close: () => void };

/** A separate file when AUDIT_LOG_PATH is set (`-` = stdout), else a child of the main logger. */
export function createAuditLog(path: string | undefined, logger: Logger): AuditLog {
  if (!path) {
    const child = logger.child({ stream: 'audit' });
    return { write: (e) => child.info(e, 'audit'), close: () => {} };
  }
  if (path !== '-') mkdirSync(dirname(path), { recursive: true });
  // Synchronous writes: an audit line is not lost when the process stops abruptly.
  const destination = pino.destination({ dest: path === '-' ? 1 : path, sync: true, mkdir: true });
  const audit = pino({ base: { stream: 'audit' }, level: 'info' }, destination);
  return {
    write: (e) => audit.info(e, 'audit'),
    close: () => destination.flushSync?.(),
  };
}
