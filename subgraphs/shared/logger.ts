import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs; pretty-printed when stdout is a terminal and LOG_FORMAT is not "json".
 * Level and format are passed in by each process's config.
 */
export function createLogger(opts: { name: string; level: string; pretty: boolean }): Logger {
  return pino({
    name: opts.name,
    level: opts.level,
    ...(opts.pretty
      ? {
          transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } },
        }
      : {}),
  });
}
