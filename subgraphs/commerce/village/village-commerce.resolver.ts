import { Ctx, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { CommerceContext } from '../context.js';
import { OnlineStore } from '../store/store.entity.js';
import { Village } from './village.reference.js';

@ObjectType({ description: "The commerce subgraph's view of a village." })
export class VillageCommerce {
  villageCode!: string;
}

@Resolver(() => Village)
export class VillageCommerceFieldResolver {
  @FieldResolver(() => VillageCommerce, {
    nullable: true,
    description: 'Rural e-commerce in the village: online stores and what they sell.',
  })
  commerce(@Root() village: Village): VillageCommerce {
    return Object.assign(new VillageCommerce(), { villageCode: village.code });
  }
}

@Resolver(() => VillageCommerce)
export class VillageCommerceResolver {
  @FieldResolver(() => [OnlineStore], { description: 'Online stores run from the village.' })
  stores(@Root() view: VillageCommerce, @Ctx() ctx: CommerceContext) {
    return ctx.loaders.storesByVillage.load(view.villageCode);
  }

  @FieldResolver(() => Int, { description: 'Number of online stores run from the village.' })
  async storeCount(@Root() view: VillageCommerce, @Ctx() ctx: CommerceContext) {
    return (await ctx.loaders.storesByVillage.load(view.villageCode)).length;
  }
}
