import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { HealthcareContext } from '../context.js';
import { Facility } from './facility.entity.js';

@Resolver(() => Facility)
export class FacilityResolver {
  @Query(() => Facility, { nullable: true, description: 'A health facility by id.' })
  facility(@Arg('id', () => ID) id: string, @Ctx() ctx: HealthcareContext) {
    return ctx.loaders.facilityById.load(id);
  }
}

export function resolveFacilityReference(ref: { id: string }, ctx: HealthcareContext) {
  return ctx.loaders.facilityById.load(ref.id);
}
