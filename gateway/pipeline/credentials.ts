import type { RequestStage } from './types.js';

/**
 * Stage 2: who is calling (API key, token or anonymous). Bad credentials throw an `AuthError`
 * (401). The caller is written to the audit line.
 */
export const credentials: RequestStage = async (state, deps) => {
  const identity = await deps.authenticate(state.req);
  state.identity = identity;
  state.identified?.(identity);
  Object.assign(state.audit, {
    caller: identity.id,
    callerKind: identity.kind,
    callerName: identity.name,
    owner: identity.owner,
  });
  return undefined;
};
