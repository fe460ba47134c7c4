import {
  Kind,
  parse,
  print,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import { WALKS, type Node, type ReferenceKind, type WalkName } from './references.js';

/* The reference checker's GraphQL client and queries (check-references.ts). */

/** What the checker could not do (unreachable gateway, refused credentials, GraphQL errors). */
export class CheckError extends Error {}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A GraphQL client that waits out 429s and retries transient failures. */
export class Client {
  requests = 0;
  constructor(
    private url: string,
    private apiKey: string | undefined,
  ) {}

  async query(query: string, variables: Record<string, unknown> = {}): Promise<Node> {
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        this.requests++;
        res = await fetch(this.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(this.apiKey ? { 'x-api-key': this.apiKey } : {}),
          },
          body: JSON.stringify({ query, variables }),
        });
      } catch (e) {
        if (attempt < 4) {
          await sleep(500 * 2 ** attempt);
          continue;
        }
        throw new CheckError(`gateway unreachable at ${this.url}: ${(e as Error).message}`);
      }
      const body = (await res.json().catch(() => ({}))) as {
        data?: Node;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
      const code = body.errors?.[0]?.extensions?.code;
      if (res.status === 429) {
        const wait = Number(res.headers.get('retry-after') ?? '1');
        if (code === 'QUOTA_EXCEEDED' && wait > 600)
          throw new CheckError(`daily quota exceeded (retry after ${wait} s); use an API key`);
        await sleep(Math.max(1, wait) * 1000);
        continue;
      }
      if (res.status >= 500 && attempt < 4) {
        await sleep(500 * 2 ** attempt);
        continue;
      }
      if (body.errors?.length || !body.data) {
        const e = new CheckError(
          `the gateway answered ${res.status}: ${body.errors?.map((x) => `${x.extensions?.code ?? ''} ${x.message}`).join('; ') ?? 'no data'}`,
        );
        (e as CheckError & { code?: string }).code = code;
        throw e;
      }
      return body.data;
    }
  }
}

/**
 * Merges selection sets field by field (same response key → one field with the union of their
 * subselections), so that every kind's fields arrive whatever the engine does with repeats.
 */
function mergeSelections(selections: readonly SelectionNode[]): SelectionNode[] {
  const merged = new Map<string, FieldNode>();
  for (const s of selections) {
    if (s.kind !== Kind.FIELD) throw new Error('reference kinds select plain fields only');
    const key = s.alias?.value ?? s.name.value;
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, s);
      continue;
    }
    if (print({ ...seen, selectionSet: undefined }) !== print({ ...s, selectionSet: undefined }))
      throw new Error(`reference kinds select ${key} with different arguments`);
    const inner = [...(seen.selectionSet?.selections ?? []), ...(s.selectionSet?.selections ?? [])];
    merged.set(key, {
      ...seen,
      selectionSet: inner.length
        ? { kind: Kind.SELECTION_SET, selections: mergeSelections(inner) }
        : undefined,
    });
  }
  return [...merged.values()].map((f) =>
    f.selectionSet
      ? {
          ...f,
          selectionSet: {
            ...f.selectionSet,
            selections: mergeSelections(f.selectionSet.selections),
          },
        }
      : f,
  );
}

/** The query of one walk with every kind's fields for it merged in. */
export function walkQuery(walk: WalkName, kinds: ReferenceKind[]): string {
  const w = WALKS[walk];
  const fields = [w.base, ...kinds.filter((k) => k.walk === walk).map((k) => k.select)];
  const parsed = fields.flatMap(
    (f) => (parse(`{ ${f} }`).definitions[0] as OperationDefinitionNode).selectionSet.selections,
  );
  const node = mergeSelections(parsed)
    .map((f) => print(f))
    .join(' ');
  return `query($region: ID!, $first: Int!, $after: String) {
    list: ${w.field}(${w.args}, first: $first, after: $after) {
      edges { node { ${node} } } pageInfo { hasNextPage endCursor } } }`;
}

export const at = (data: Node, path: string[]): Node | undefined =>
  path.reduce<Node | undefined>((n, k) => (n ? (n[k] as Node) : undefined), data);
