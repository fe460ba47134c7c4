import { assertHeld, type PlacesHolding } from './loaded-scope.js';
import {
  Ctx,
  Directive,
  Field,
  FieldResolver,
  ID,
  Int,
  ObjectType,
  Resolver,
  Root,
  type ClassType,
} from 'type-graphql';
import { Provenance, ProvenanceKind, SYNTHETIC_SOURCE, provenance } from './provenance.js';
import { HAS_FIGURES_DESCRIPTION, indexInputDescription } from './schema.js';

/**
 * What the three domain subgraphs share of the digital-village index (README: "Digital-village
 * index"): the reference year, the fields every domain's components carry, and the four fields
 * that publish them — `indexComponents` on the domain's region and village views, and the
 * `<domain>IndexInput` that places `@requires` of a region and a village. A domain writes only
 * its own components and how it computes them.
 */

/** The latest year for which all three domains hold data; places' index refers to it too. */
export const INDEX_YEAR = { year: 2020, months: { from: '2020-01', to: '2020-12' } } as const;

/** Declares a domain's components type (`@IndexComponentsType('Culture')`), described alike. */
export function IndexComponentsType(domain: IndexDomainName): ClassDecorator {
  return ObjectType({
    description:
      `${domain}'s normalised components of the digital-village index for a village or region ` +
      '(0 to 1, rounded to 4 decimals), computed from its own data for the reference year.',
  });
}

/**
 * The fields every domain's components have; each domain's type extends it with its scores and
 * their inputs. Never published itself: no field returns it (type-graphql emits only the types
 * a schema reaches).
 */
@ObjectType()
export abstract class IndexComponents {
  @Field(() => ID, { description: 'Code of the village or region.' })
  code!: string;

  @Field(() => Int, { description: 'Reference year of the figures the components come from.' })
  year!: number;

  @Field({ description: HAS_FIGURES_DESCRIPTION })
  hasFigures!: boolean;

  @Field(() => Provenance, { description: 'Where the components come from.' })
  provenance!: Provenance;

  /**
   * A domain's components of the reference year (`CultureIndexComponents.of(...)`): its own
   * fields, and the provenance of synthetic inputs of that year, as `how` says.
   */
  static of<T extends IndexComponents>(
    this: new () => T,
    fields: Omit<T, 'year' | 'provenance'>,
    how: string,
  ): T {
    const year = INDEX_YEAR.year;
    const source = provenance(ProvenanceKind.SYNTHETIC, SYNTHETIC_SOURCE, String(year), how);
    return Object.assign(new this(), fields, { year, provenance: source });
  }
}

export type IndexDomainName = 'Culture' | 'Healthcare' | 'Commerce';

type Compute<Root, Context, C> = (root: Root, ctx: Context) => Promise<C>;

/**
 * The four resolver classes of a domain's index fields, to register in its schema: `spec` says
 * where they live (the domain's views and its `Region` and `Village` stubs; `requires`: what
 * the region's input needs of places) and how each is computed. Each call makes classes of its
 * own (type-graphql keeps field resolvers per class).
 */
export function indexFieldResolvers<
  C extends IndexComponents,
  Context,
  RV extends object,
  VV extends object,
  R extends object,
  V extends object,
>(spec: {
  domain: IndexDomainName;
  components: ClassType<C>;
  regionView: { type: ClassType<RV>; description: string; compute: Compute<RV, Context, C> };
  villageView: { type: ClassType<VV>; description: string; compute: Compute<VV, Context, C> };
  region: { type: ClassType<R>; requires?: string; compute: Compute<R, Context, C> };
  village: { type: ClassType<V>; compute: Compute<V, Context, C> };
}): ClassType[] {
  const components = () => spec.components;

  @Resolver(() => spec.regionView.type)
  class RegionViewIndex {
    @FieldResolver(components, { description: spec.regionView.description })
    indexComponents(@Root() view: RV, @Ctx() ctx: Context): Promise<C> {
      return spec.regionView.compute(view, ctx);
    }
  }

  @Resolver(() => spec.villageView.type)
  class VillageViewIndex {
    @FieldResolver(components, { description: spec.villageView.description })
    indexComponents(@Root() view: VV, @Ctx() ctx: Context): Promise<C> {
      return spec.villageView.compute(view, ctx);
    }
  }

  // The inputs are `@inaccessible`: places reads them, clients read the views.
  const input = { name: `${spec.domain.toLowerCase()}IndexInput` };
  const description = indexInputDescription(spec.domain);

  @Resolver(() => spec.region.type)
  class RegionIndexInput {
    @Directive('@inaccessible')
    @FieldResolver(components, { ...input, description })
    async input(@Root() region: R, @Ctx() ctx: Context): Promise<C> {
      const { code } = region as { code: string };
      await assertHeld(ctx, code, region as PlacesHolding);
      return spec.region.compute(region, ctx);
    }
  }
  if (spec.region.requires) {
    const method = Object.getOwnPropertyDescriptor(RegionIndexInput.prototype, 'input')!;
    Directive(`@requires(fields: "${spec.region.requires}")`)(
      RegionIndexInput.prototype,
      'input',
      method,
    );
  }

  @Resolver(() => spec.village.type)
  class VillageIndexInput {
    @Directive('@inaccessible')
    @FieldResolver(components, { ...input, description })
    async input(@Root() village: V, @Ctx() ctx: Context): Promise<C> {
      await assertHeld(ctx, (village as { code: string }).code);
      return spec.village.compute(village, ctx);
    }
  }

  return [RegionViewIndex, VillageViewIndex, RegionIndexInput, VillageIndexInput];
}
