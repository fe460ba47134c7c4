import type { CultureContext } from '../context.js';

/**
 * Authorisation hook of every mutation. The gateway enforces `@requiresScopes` today; this is
 * where the subgraph will verify the signed identity header and the `culture:write` scope. It
 * deliberately checks nothing yet.
 */
export function requireWriter(ctx: CultureContext): void {
  void ctx;
}
