import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../contract/errors.js';
import type { GatewayIdentity } from '../../contract/identity.js';

/**
 * The check before every write (`WriteMutation` in write-once.ts runs it before the resolver):
 * throws UNAUTHENTICATED unless the request carries an identity signed by the gateway, and
 * FORBIDDEN unless that identity holds `scope`. The subgraph's context exposes the verified
 * identity as `identity` (from RequestInfo.identity). A subgraph reached directly, without the
 * gateway, gets no verified identity (the header and its verification are in
 * contract/identity.ts), so its writes are refused.
 */
export function requireWriter(ctx: { identity?: GatewayIdentity }, scope: string): GatewayIdentity {
  const id = ctx.identity;
  if (!id || id.kind === 'anonymous') {
    throw new GraphQLError('Writes must come through the gateway with credentials.', {
      extensions: { code: ErrorCode.UNAUTHENTICATED },
    });
  }
  if (!id.scopes.includes(scope)) {
    throw new GraphQLError(`This write needs the scope \`${scope}\`.`, {
      extensions: { code: ErrorCode.FORBIDDEN },
    });
  }
  return id;
}
