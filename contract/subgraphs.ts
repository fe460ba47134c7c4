/**
 * The subgraphs of the product, in the order they are composed, seeded and started, with the
 * port each listens on by default (`<NAME>_PORT` overrides it; the gateway reaches them at
 * `<NAME>_URL`).
 */
export const SUBGRAPH_PORTS = {
  places: 4001,
  culture: 4002,
  healthcare: 4003,
  commerce: 4004,
} as const;
export type SubgraphName = keyof typeof SUBGRAPH_PORTS;

export const SUBGRAPH_NAMES = Object.keys(SUBGRAPH_PORTS) as readonly SubgraphName[];

/** The gateway's default MAX_BODY_BYTES. */
export const DEFAULT_GATEWAY_MAX_BODY_BYTES = 1_000_000;

/**
 * The largest request body a subgraph accepts, derived from the gateway's MAX_BODY_BYTES, so that
 * no fetch of a request the gateway accepts is refused for its size. Printing a string literal
 * for a subgraph fetch and escaping it into JSON grows it at most 7-fold (DEL, one byte in the
 * client's JSON, is printed `\u007F` and sent as `\\u007F`: 7 bytes; C1 controls 3.5-fold,
 * `"`, `\` and newlines in block strings 2-fold at most), so 8 × MAX_BODY_BYTES holds the
 * largest literal plus the operation around it; never below 16 MiB, for entity fetches whose
 * representations come from other subgraphs' data. The gateway sends nothing larger (413
 * SUBGRAPH_REQUEST_TOO_LARGE).
 */
export function subgraphBodyLimit(gatewayMaxBodyBytes: number): number {
  return Math.max(16 * 1024 * 1024, 8 * gatewayMaxBodyBytes);
}
