import type { CommerceContext } from '../context.js';

/**
 * The single place where a mutation checks that the caller may write commerce data
 * (scope `commerce:write`). The gateway enforces `@requiresScopes`; the check of the signed
 * identity header it forwards goes here. For now it checks nothing.
 */
export function requireWriter(ctx: CommerceContext): void {
  void ctx;
}
