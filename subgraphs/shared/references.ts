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
  UseMiddleware,
  type ClassType,
  type MiddlewareFn,
} from 'type-graphql';
import { inputsUnavailable } from './errors.js';
import { assertHeld, type PlacesHolding } from './loaded-scope.js';

/**
 * The reference stubs a domain subgraph declares for the entities places owns: `Village` and
 * `Region`, keyed by their official codes. Each domain calls these once and gets classes of its
 * own (type-graphql keeps field resolvers per class, so one class shared by three schemas would
 * carry every domain's fields into each); what the stubs say is written here once.
 */

/** The stub of a village-level unit: places owns it; the domain contributes fields by code. */
export function villageStub() {
  @Directive('@key(fields: "code")')
  @ObjectType('Village', {
    description:
      'A village-level unit (rural village or urban community), keyed by its official code.',
  })
  class Village {
    @Field(() => ID, { description: 'Official 12-digit statistical division code.' })
    code!: string;
  }
  return Village;
}

export function resolveVillageStub<T extends { code: string }>(cls: new () => T) {
  return (ref: { code: string }): T => Object.assign(new cls(), { code: ref.code });
}

/**
 * What culture's region fields `@requires` of places: the region's rural village count, the
 * scopes places was loaded with inside or above it (`loadedScopes`, `@inaccessible`: a domain
 * refuses a region where places holds villages it does not, loaded-scope.ts) and its children
 * with their counts. Each of them requires the same, the index input too, though it reads only the
 * count: @apollo/gateway's planner fetches what two fields of one subgraph require as one set,
 * and where one of them is under `@skip`/`@include` it fetched the children under that condition
 * only — the other field's representation then lacked them, was left out of the fetch, and
 * `digitalIndex` came back null with no error. (Commerce's fields all require the count only.)
 */
export const REGION_COUNTS = 'ruralVillageCount loadedScopes children { code ruralVillageCount }';

/** A child region as the gateway sends it for a field that `@requires` the children. */
export interface ChildCount {
  code: string;
  ruralVillageCount?: number | null;
}

/**
 * An `@external` field answered by this subgraph itself: its value is what the gateway sent in
 * the representation, and a region made here (a ranking's entry) has none. @apollo/gateway's
 * planner asks for it all the same in some operations (a ranked region's `childrenByIndex`
 * beside its other fields): without this, a null for places' `Int!` failed as an internal error;
 * it is the same SUBGRAPH_UNAVAILABLE as any other missing input.
 */
const sentByPlaces: MiddlewareFn = async (_action, next) => {
  const value: unknown = await next();
  if (value === undefined || value === null) throw inputsUnavailable();
  return value;
};

/**
 * The stub of a region, with what the domain `@requires` of places as `@external`: its
 * `ruralVillageCount` (places' `Int!`: composition rejects a nullable `@external` of a non-null
 * field) and its `children` with theirs.
 */
export function regionStub(opts: { ruralVillageCount?: boolean; children?: boolean } = {}) {
  @Directive('@key(fields: "code")')
  @ObjectType('Region', {
    description: 'An administrative division above the village level, keyed by its official code.',
  })
  class Region {
    @Field(() => ID, { description: 'Official statistical division code (2, 4, 6 or 9 digits).' })
    code!: string;

    ruralVillageCount?: number | null;
    children?: ChildCount[] | null;
    loadedScopes?: string[] | null;
  }
  const external = (field: 'ruralVillageCount' | 'children', decorate: PropertyDecorator) => {
    decorate(Region.prototype, field);
    Directive('@external')(Region.prototype, field);
    UseMiddleware(sentByPlaces)(Region.prototype, field);
  };
  if (opts.ruralVillageCount) {
    external(
      'ruralVillageCount',
      Field(() => Int, {
        description:
          'Rural villages (村委会 / 村民委员会) in this region, from the places subgraph.',
      }),
    );
  }
  if (opts.children) {
    // Null when places recorded no scope; a region made here has none either: not known.
    Field(() => [String], {
      nullable: true,
      description: 'Scopes places was loaded with inside or above this region (code prefixes).',
    })(Region.prototype, 'loadedScopes');
    Directive('@external')(Region.prototype, 'loadedScopes');
    external(
      'children',
      Field(() => [Region], {
        description: 'The regions one level down, from the places subgraph.',
      }),
    );
  }
  return Region;
}

/**
 * The `__resolveReference` of a domain's Region stub: the gateway sends `{ code,
 * ruralVillageCount, children }` (those it `@requires`) when the domain's view is selected.
 */
export function resolveRegionStub<T extends { code: string }>(cls: new () => T) {
  return (ref: {
    code: string;
    ruralVillageCount?: number | null;
    children?: ChildCount[] | null;
    loadedScopes?: string[] | null;
  }): T =>
    Object.assign(new cls(), {
      code: ref.code,
      ruralVillageCount: ref.ruralVillageCount ?? null,
      children: ref.children ?? null,
      loadedScopes: ref.loadedScopes ?? null,
    });
}

/**
 * The field a domain adds to its `Village` stub (`village`): `field`, the domain's view of the
 * village (`view`, made with the village's code as its `villageCode`; its own resolvers answer
 * the rest), nullable. A class of the domain's own, to register
 * in its schema.
 */
export function villageViewResolver<V extends { villageCode: string }>(
  village: ClassType,
  view: ClassType<V>,
  field: { name: string; description: string },
): ClassType {
  const { name, description } = field;

  @Resolver(() => village)
  class VillageView {
    @FieldResolver(() => view, { name, nullable: true, description })
    async view(@Root() stub: { code: string }, @Ctx() ctx: unknown): Promise<V> {
      await assertHeld(ctx, stub.code);
      return Object.assign(new view(), { villageCode: stub.code });
    }
  }
  return VillageView;
}

/**
 * The field a domain adds to its `Region` stub (`region.culture`): `field`, the domain's view of
 * the region made by `view` from the stub (with what the field `requires` of places, as
 * `@requires` fields) and the request context, nullable: null where the domain holds nothing
 * for the region, or when the domain fails, without failing the region. A class of the
 * domain's own, to register in its schema.
 */
export function regionViewResolver<R extends { code: string }, V extends object, C>(
  region: ClassType<R>,
  type: ClassType<V>,
  field: { name: string; description: string; requires?: string },
  view: (region: R, ctx: C) => Promise<V | null>,
): ClassType {
  const { name, description, requires } = field;

  @Resolver(() => region)
  class RegionView {
    @FieldResolver(() => type, { name, nullable: true, description })
    async view(@Root() stub: R, @Ctx() ctx: C): Promise<V | null> {
      await assertHeld(ctx, stub.code, stub as PlacesHolding);
      return view(stub, ctx);
    }
  }
  if (requires !== undefined) {
    const method = Object.getOwnPropertyDescriptor(RegionView.prototype, 'view')!;
    Directive(`@requires(fields: "${requires}")`)(RegionView.prototype, 'view', method);
  }
  return RegionView;
}
