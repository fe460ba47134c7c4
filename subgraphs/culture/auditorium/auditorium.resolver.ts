import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { CultureContext } from '../context.js';
import { Auditorium } from './auditorium.entity.js';

@Resolver(() => Auditorium)
export class AuditoriumResolver {
  @Query(() => Auditorium, { nullable: true, description: 'A culture auditorium by id.' })
  auditorium(@Arg('id', () => ID) id: string, @Ctx() ctx: CultureContext) {
    return ctx.loaders.auditoriumById.load(id);
  }
}

export function resolveAuditoriumReference(ref: { id: string }, ctx: CultureContext) {
  return ctx.loaders.auditoriumById.load(ref.id);
}
