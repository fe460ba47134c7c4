import { Ctx, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { Auditorium } from '../auditorium/auditorium.entity.js';
import type { CultureContext } from '../context.js';
import { Village } from './village.reference.js';

@ObjectType({ description: "The culture subgraph's view of a village." })
export class VillageCulture {
  villageCode!: string;
}

@Resolver(() => Village)
export class VillageCultureFieldResolver {
  @FieldResolver(() => VillageCulture, {
    nullable: true,
    description: 'Culture services of the village: its culture auditorium and what it offers.',
  })
  culture(@Root() village: Village): VillageCulture {
    return Object.assign(new VillageCulture(), { villageCode: village.code });
  }
}

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
