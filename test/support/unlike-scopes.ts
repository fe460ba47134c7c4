import { afterAll, beforeAll } from 'vitest';
import { bootStack, type ExtraGateway, type Stack } from './stack.js';

/** Errors of an answer, as the loaded-scope tests read them. */
export type Errors = { path?: (string | number)[]; extensions?: { code?: unknown } }[] | undefined;

/** Each error's code by its path (`region.culture` → `NOT_LOADED`). */
export const codesAt = (errors: Errors) =>
  Object.fromEntries((errors ?? []).map((e) => [e.path?.join('.'), e.extensions?.code]));

/** One figure of each domain's view of a region. */
export const DOMAIN_VIEWS = `culture { coverage auditoriumCount }
  healthcare { familyDoctorCoverage { share } }
  commerce { stores { total } }`;

/**
 * A stack whose places and domains were loaded with the scopes given (bootStack's options),
 * with a gateway on the apollo engine beside the default one, booted before the file's tests
 * and closed after them. `engines()` lists both gateways' query functions, named.
 */
export function unlikeScopes(options: Parameters<typeof bootStack>[0]) {
  let stack: Stack;
  let apollo: ExtraGateway;
  beforeAll(async () => {
    stack = await bootStack(options);
    apollo = await stack.extraGateway({ GATEWAY_ENGINE: 'apollo' });
  });
  afterAll(async () => {
    await apollo?.close();
    await stack?.close();
  });
  return {
    engines: () =>
      [
        ['the default engine', stack.query],
        ['apollo', apollo.query],
      ] as const,
  };
}
