import {
  Args,
  Ctx,
  Directive,
  Field,
  FieldResolver,
  ID,
  Int,
  ObjectType,
  Resolver,
  Root,
} from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import type { CommerceContext } from '../context.js';
import { Enterprise } from '../enterprise/enterprise.entity.js';
import { OnlineStoreConnection } from '../enterprise/enterprise.inputs.js';
import { COMPUTED_PROVENANCE, CommerceCount } from '../region/region-commerce.types.js';
import { onlineSalesResolver } from '../region/sales-figure.js';
import { ServicePoint } from '../service-point/service-point.entity.js';
import { storeConnection } from '../store/store.resolver.js';
import { Village } from './village.reference.js';
import { villageViewResolver } from '../../shared/references.js';
import { ConnectionField, PageArgs } from '../../shared/pagination.js';

@ObjectType({ description: "The commerce subgraph's view of a village." })
export class VillageCommerce {
  @Field(() => ID, { description: 'Code of the village.' })
  villageCode!: string;
}

export const VillageCommerceFieldResolver = villageViewResolver(Village, VillageCommerce, {
  name: 'commerce',
  description: 'Rural e-commerce in the village: stores, enterprises, service points, sales.',
});

@Resolver(() => VillageCommerce)
export class VillageCommerceResolver {
  @ConnectionField(
    () => OnlineStoreConnection,
    'Online stores run from the village (all statuses), ordered by id.',
  )
  stores(
    @Root() view: VillageCommerce,
    @Ctx() ctx: CommerceContext,
    @Args(() => PageArgs) page: PageArgs,
  ) {
    return storeConnection(
      ctx.loaders.stores.storePagesByVillage,
      'Village',
      view.villageCode,
      page,
    );
  }

  @FieldResolver(() => Int, { description: 'Number of active online stores in the village.' })
  async storeCount(@Root() view: VillageCommerce, @Ctx() ctx: CommerceContext) {
    return (await ctx.loaders.rollups.region.load(view.villageCode))?.storeCount ?? 0;
  }

  @FieldResolver(() => Provenance, {
    description: 'Where storeCount comes from (the other figures carry their own).',
  })
  async provenance(@Root() view: VillageCommerce, @Ctx() ctx: CommerceContext) {
    return (
      (await ctx.loaders.rollups.region.load(view.villageCode))?.provenance ?? COMPUTED_PROVENANCE
    );
  }

  @FieldResolver(() => CommerceCount, { description: 'Jobs provided by its active stores.' })
  async jobs(@Root() view: VillageCommerce, @Ctx() ctx: CommerceContext) {
    const row = await ctx.loaders.rollups.region.load(view.villageCode);
    return Object.assign(new CommerceCount(), {
      count: row?.jobs ?? 0,
      provenance: row?.provenance ?? COMPUTED_PROVENANCE,
    });
  }

  // One at most: the seeder makes a village's own (`ent-<code>`), and no write adds one.
  @Directive('@listSize(assumedSize: 1)')
  @FieldResolver(() => [Enterprise], { description: 'Enterprises located in the village.' })
  enterprises(@Root() view: VillageCommerce, @Ctx() ctx: CommerceContext) {
    return ctx.loaders.enterprises.enterprisesByVillage.load(view.villageCode);
  }

  @FieldResolver(() => [ServicePoint], {
    description: 'E-commerce service points (logistics, express pick-up, training).',
  })
  servicePoints(@Root() view: VillageCommerce, @Ctx() ctx: CommerceContext) {
    return ctx.loaders.enterprises.servicePointsByVillage.load(view.villageCode);
  }
}

export const VillageSalesResolver = onlineSalesResolver(
  VillageCommerce,
  (view) => view.villageCode,
);
