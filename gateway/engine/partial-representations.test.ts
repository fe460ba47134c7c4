import { describe, expect, it } from 'vitest';
import { sendingPartialRepresentations } from './partial-representations.js';
import { plan } from './planner-fixture.js';

type Node = { kind: string; [k: string]: unknown };
type Selection = { kind: string; name?: string; typeCondition?: string; selections?: Selection[] };

/** The `requires` of each fetch of a plan. */
function requiresOf(node: Node | undefined): Selection[][] {
  if (!node) return [];
  if (node.kind === 'Fetch') return node.requires ? [node.requires as Selection[]] : [];
  if (node.kind === 'Flatten') return requiresOf(node.node as Node);
  return ((node.nodes as Node[]) ?? []).flatMap((n) => requiresOf(n));
}

describe("a plan's representations, each field of them optional", () => {
  it('puts each field but __typename in an inline fragment of its own, on the same type', () => {
    const planned = plan('{ region(code: "3311") { digitalIndex { score } } }');
    const before = requiresOf(planned.node as unknown as Node);
    const after = requiresOf(sendingPartialRepresentations(planned).node as unknown as Node);
    expect(before.length).toBeGreaterThan(0);
    expect(after).toEqual(
      before.map((requires) =>
        requires.map((fragment) => ({
          ...fragment,
          selections: fragment.selections!.map((f) =>
            f.name === '__typename'
              ? f
              : { kind: 'InlineFragment', typeCondition: fragment.typeCondition, selections: [f] },
          ),
        })),
      ),
    );
    const index = after.find((r) => JSON.stringify(r).includes('cultureIndexInput'));
    const names = index?.[0]?.selections?.map((s) => s.name ?? s.selections?.[0]?.name);
    expect(names?.sort()).toEqual([
      '__typename',
      'code',
      'commerceIndexInput',
      'cultureIndexInput',
      'healthcareIndexInput',
    ]);
  });

  it('leaves a plan without entity fetches as it was', () => {
    const planned = plan('{ region(code: "3311") { name } }');
    expect(sendingPartialRepresentations(planned)).toEqual(planned);
  });
});
