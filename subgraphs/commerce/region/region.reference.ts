import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { CODE_LEVELS } from '../rollup/rollup.rebuild.js';

/** The places subgraph owns regions; commerce only contributes fields to them by code. */
@Directive('@key(fields: "code")')
@ObjectType({
  description: 'An administrative division above the village level, keyed by its official code.',
})
export class Region {
  @Field(() => ID, { description: 'Official statistical division code (2, 4, 6 or 9 digits).' })
  code!: string;

  // Owned by places as `Int!`; required by `commerce` for per-village figures of the index.
  @Directive('@external')
  @Field(() => Int, {
    description: 'Rural villages (村委会 / 村民委员会) in this region, from the places subgraph.',
  })
  ruralVillageCount?: number | null;
}

export function isRegionCode(code: string): boolean {
  return /^\d+$/.test(code) && CODE_LEVELS.slice(0, 4).includes(code.length as 2);
}

export function regionStub(code: string): Region {
  return Object.assign(new Region(), { code });
}

/** The gateway sends `{ code, ruralVillageCount }` when `commerce` is selected. */
export function resolveRegionReference(ref: {
  code: string;
  ruralVillageCount?: number | null;
}): Region | null {
  if (!isRegionCode(ref.code)) return null;
  return Object.assign(regionStub(ref.code), { ruralVillageCount: ref.ruralVillageCount ?? null });
}
