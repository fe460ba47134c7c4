import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { executePlanned, NOT_PLANNED, type Executor } from './fallback.js';

type Request = Parameters<Executor>[0];

describe('executePlanned', () => {
  it("answers an error, not a throw (an HTTP 500), when @apollo/gateway's executor throws", async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void lines.push(line) });
    // The error @apollo/gateway threw for a plan it could not walk (a Flatten inside a Flatten).
    const executor: Executor = () =>
      Promise.reject(new Error('Unexpected array in result for path element culture'));
    const answer = await executePlanned(executor, {} as Request, NOT_PLANNED, logger);
    expect(answer).toMatchObject({
      data: null,
      errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(JSON.stringify(answer)).not.toContain('path element');
    expect(lines.join('')).toContain('Unexpected array in result');
  });

  it('passes an answer through', async () => {
    const executor: Executor = () => Promise.resolve({ data: { hello: 'world' } });
    const answer = await executePlanned(
      executor,
      {} as Request,
      NOT_PLANNED,
      pino({ level: 'silent' }),
    );
    expect(answer).toEqual({ data: { hello: 'world' } });
  });
});
