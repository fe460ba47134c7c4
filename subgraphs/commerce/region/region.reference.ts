import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { CODE_LEVELS } from '../rollup/rollup.rebuild.js';

/** The places subgraph owns regions; commerce only contributes fields to them by code. */
@Directive('@key(fields: "code")')
@ObjectType({
  description: 'An administrative division above the village level, keyed by its official code.',
})
export class Region {
  @Field(() => ID, { description: 'Official statistical division code (2, 4, 6 or 9 digits).' })
  code!: string;
}

export function isRegionCode(code: string): boolean {
  return /^\d+$/.test(code) && CODE_LEVELS.slice(0, 4).includes(code.length as 2);
}

export function regionStub(code: string): Region {
  return Object.assign(new Region(), { code });
}

export function resolveRegionReference(ref: { code: string }): Region | null {
  return isRegionCode(ref.code) ? regionStub(ref.code) : null;
}
