import type { HealthcareContext } from './context.js';

/**
 * Where a mutation checks that its caller holds `healthcare:write`. The gateway enforces
 * `@requiresScopes`; this subgraph will also verify a signed identity header here. For now it
 * checks nothing — every mutation already calls it, so the check lands in one place.
 */
export function requireWriter(_ctx: HealthcareContext): void {}
