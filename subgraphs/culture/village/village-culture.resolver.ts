import { Ctx, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { Auditorium } from '../auditorium/auditorium.entity.js';
import type { CultureContext } from '../context.js';
import { Village } from './village.reference.js';
import { villageViewResolver } from '../../shared/references.js';

@ObjectType({ description: "The culture subgraph's view of a village." })
export class VillageCulture {
  villageCode!: string;
}

export const VillageCultureFieldResolver = villageViewResolver(Village, VillageCulture, {
  name: 'culture',
  description: 'Culture services of the village: its culture auditorium and what it offers.',
});

@Resolver(() => VillageCulture)
export class VillageCultureResolver {
  @FieldResolver(() => Auditorium, {
    nullable: true,
    description: 'The culture auditorium serving the village, if any.',
  })
  auditorium(@Root() view: VillageCulture, @Ctx() ctx: CultureContext) {
    return ctx.loaders.auditoriumByVillage.load(view.villageCode);
  }
}
