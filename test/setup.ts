import 'reflect-metadata';
import { afterAll, expect } from 'vitest';

// No telemetry or cloud-metadata probes from Apollo libraries in tests either.
process.env.APOLLO_TELEMETRY_DISABLED = '1';
process.env.METADATA_SERVER_DETECTION = 'none';

/**
 * A worker runs its test files one after another in one process (isolate: false in
 * vitest.config.ts), so whatever a file leaves in the process, the next file inherits. This
 * runs before each file and fails the file that changed what is watched here.
 */
const WATCHED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'uncaughtException', 'unhandledRejection'];
// Where @opentelemetry/api keeps what a provider registers: tracer provider, context manager, propagator.
const OPENTELEMETRY = Symbol.for('opentelemetry.js.api.1');
// MikroORM writes its colour setting into process.env each time an ORM is configured.
const WRITTEN_BY_LIBRARIES = new Set(['MIKRO_ORM_COLORS']);

function processState() {
  return {
    env: Object.fromEntries(
      Object.entries(process.env)
        .filter(([name]) => !WRITTEN_BY_LIBRARIES.has(name))
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
    // A signal listener also turns the default off: the worker would ignore vitest's SIGTERM.
    listeners: Object.fromEntries(WATCHED_EVENTS.map((e) => [e, process.listenerCount(e)])),
    // A context manager left registered runs an AsyncLocalStorage in every later gateway request.
    openTelemetry: Object.keys((globalThis as Record<symbol, object>)[OPENTELEMETRY] ?? {})
      .filter((k) => k !== 'version')
      .sort(),
  };
}

const before = processState();
afterAll(() => {
  expect(processState(), 'process state this test file left to the next one').toEqual(before);
});
