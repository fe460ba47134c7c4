import {
  Ctx,
  Directive,
  Field,
  FieldResolver,
  Int,
  ObjectType,
  Resolver,
  Root,
} from 'type-graphql';
import { badUserInput, inputsUnavailable } from '../../shared/errors.js';
import { pageSize, FirstArg } from '../../shared/pagination.js';
import type { PlacesContext } from '../context.js';
import { Region } from '../region/region.entity.js';
import { Village, VillageKind } from '../village/village.entity.js';
import {
  CommerceInputs,
  CultureInputs,
  HealthcareInputs,
  INDEX_INPUTS,
  type IndexInputs,
} from './index.externals.js';
import {
  DigitalVillageIndex,
  byScore,
  digitalIndex,
  scorable,
  unanswered,
} from './index.formula.js';
import { inputsCode } from './index.loaders.js';
import { RANKING_LIST_SIZE } from '../../shared/schema.js';

/**
 * The rural villages of the largest county of the division data the seeds load (370481, 1,122;
 * the average county has 172, 104 counties have over 500): a county ranking reads every one.
 */
export const MAX_COUNTY_RURAL_VILLAGES = 1_122;

@ObjectType({ description: 'A child region ranked by its digital-village index.' })
export class RegionIndexRank {
  @Field(() => Int, { description: 'Rank, 1 = highest score; ties by code.' })
  rank!: number;

  @Field(() => Region, { description: 'The child region.' })
  region!: Region;

  @Field(() => DigitalVillageIndex, { description: 'Its index, with the components.' })
  index!: DigitalVillageIndex;
}

@ObjectType({ description: 'A rural village ranked by its digital-village index.' })
export class VillageIndexRank {
  @Field(() => Int, { description: 'Rank, 1 = highest score; ties by code.' })
  rank!: number;

  @Field(() => Village, { description: 'The village.' })
  village!: Village;

  @Field(() => DigitalVillageIndex, { description: 'Its index, with the components.' })
  index!: DigitalVillageIndex;
}

/**
 * Scores a list of places from the inputs the gateway sent along, matched by code; places that
 * cannot be scored (no rural villages, no figures from any domain) are left out. When any
 * domain's input did not arrive the ranking is null with SUBGRAPH_UNAVAILABLE.
 */
function rank<T extends Region | Village>(
  places: T[],
  sent: (IndexInputs | null)[] | null | undefined,
  first: number,
) {
  // A ranking is only true when every place's inputs arrived from every domain.
  if (!sent || sent.some((inputs) => unanswered(inputs).length > 0)) throw inputsUnavailable();
  const byCode = new Map<string, IndexInputs>();
  for (const inputs of sent) {
    const code = inputsCode(inputs);
    if (code && inputs) byCode.set(code, inputs);
  }
  return places
    .filter((place) =>
      scorable(byCode.get(place.code), place instanceof Region ? place.ruralVillageCount : 1),
    )
    .map((place) => ({ place, index: digitalIndex(place.code, byCode.get(place.code) ?? {}) }))
    .sort((a, b) => byScore(a.index, b.index))
    .slice(0, first);
}

const EXTERNAL = (owner: string) =>
  `Owned by the ${owner} subgraph; declared here only as an input of the index.`;

/**
 * The digital-village index is computed here, where Region and Village live, from the
 * components the domain subgraphs publish: every index field `@requires` them, so the
 * gateway fetches them first and sends them in the representation.
 */
@Resolver(() => Region)
export class RegionIndexResolver {
  @Directive('@external')
  @FieldResolver(() => CultureInputs, { description: EXTERNAL('culture') })
  cultureIndexInput(@Root() r: Region, @Ctx() ctx: PlacesContext) {
    return ctx.indexRefs.get('Region', r.code)?.cultureIndexInput ?? null;
  }

  @Directive('@external')
  @FieldResolver(() => HealthcareInputs, { description: EXTERNAL('healthcare') })
  healthcareIndexInput(@Root() r: Region, @Ctx() ctx: PlacesContext) {
    return ctx.indexRefs.get('Region', r.code)?.healthcareIndexInput ?? null;
  }

  @Directive('@external')
  @FieldResolver(() => CommerceInputs, { description: EXTERNAL('commerce') })
  commerceIndexInput(@Root() r: Region, @Ctx() ctx: PlacesContext) {
    return ctx.indexRefs.get('Region', r.code)?.commerceIndexInput ?? null;
  }

  // Hidden from clients: a bounded list (one county's rural villages) that only feeds
  // `villagesByIndex`'s @requires; clients page through `villages`.
  @Directive('@inaccessible')
  // Demand control: the gateway costs every `@requires` of this list (villagesByIndex) as this
  // many villages, so a ranking is priced as the largest county's, not an average one's.
  @Directive(`@listSize(assumedSize: ${MAX_COUNTY_RURAL_VILLAGES})`)
  @FieldResolver(() => [Village], {
    description: 'The rural villages of a county or township (empty above): input of the index.',
  })
  indexVillages(@Root() r: Region, @Ctx() ctx: PlacesContext): Promise<Village[]> {
    return ctx.loaders.ruralVillagesOf.load(r.code);
  }

  @Directive(`@requires(fields: "${INDEX_INPUTS}")`)
  @FieldResolver(() => DigitalVillageIndex, {
    nullable: true,
    description:
      'The digital-village index of the region (0-100) with its components; null (not 0) ' +
      'when the region has no rural villages or no domain has figures for it, and when a ' +
      'subgraph could not supply them.',
  })
  digitalIndex(@Root() r: Region, @Ctx() ctx: PlacesContext): DigitalVillageIndex | null {
    const ref = ctx.indexRefs.get('Region', r.code);
    if (unanswered(ref).length > 0) throw inputsUnavailable();
    return ref && scorable(ref, r.ruralVillageCount) ? digitalIndex(r.code, ref) : null;
  }

  @Directive(`@requires(fields: "children { ${INDEX_INPUTS} }")`)
  @Directive(RANKING_LIST_SIZE)
  @FieldResolver(() => [RegionIndexRank], {
    nullable: true,
    description:
      'The child regions (one level down) ranked by their digital-village index, highest ' +
      'first; empty for a township. Children whose index is null (no rural villages, no ' +
      'figures from any domain) are left out. Null when a subgraph could not supply the ' +
      'components.',
  })
  async childrenByIndex(
    @Root() r: Region,
    @Ctx() ctx: PlacesContext,
    @FirstArg('How many')
    first?: number,
  ): Promise<RegionIndexRank[] | null> {
    const limit = pageSize(first);
    const sent = ctx.indexRefs.get('Region', r.code)?.children;
    const children = await ctx.loaders.regionChildren.load(r.code);
    return rank(children, sent, limit).map(({ place, index }, i) =>
      Object.assign(new RegionIndexRank(), { rank: i + 1, region: place, index }),
    );
  }

  @Directive(`@requires(fields: "indexVillages { ${INDEX_INPUTS} }")`)
  @Directive(RANKING_LIST_SIZE)
  @FieldResolver(() => [VillageIndexRank], {
    nullable: true,
    description:
      'The rural villages of a county or township ranked by their digital-village index, ' +
      'highest first (BAD_USER_INPUT for a province or city); villages no domain has figures ' +
      'for are left out. Null when a subgraph could not supply the components.',
  })
  async villagesByIndex(
    @Root() r: Region,
    @Ctx() ctx: PlacesContext,
    @FirstArg('How many')
    first?: number,
  ): Promise<VillageIndexRank[] | null> {
    const limit = pageSize(first);
    if (r.code.length < 6) {
      throw badUserInput('Villages are ranked within a county or a township.', 'villagesByIndex');
    }
    const sent = ctx.indexRefs.get('Region', r.code)?.indexVillages;
    const villages = await ctx.loaders.ruralVillagesOf.load(r.code);
    return rank(villages, sent, limit).map(({ place, index }, i) =>
      Object.assign(new VillageIndexRank(), { rank: i + 1, village: place, index }),
    );
  }
}

@Resolver(() => Village)
export class VillageIndexResolver {
  @Directive('@external')
  @FieldResolver(() => CultureInputs, { description: EXTERNAL('culture') })
  cultureIndexInput(@Root() v: Village, @Ctx() ctx: PlacesContext) {
    return ctx.indexRefs.get('Village', v.code)?.cultureIndexInput ?? null;
  }

  @Directive('@external')
  @FieldResolver(() => HealthcareInputs, { description: EXTERNAL('healthcare') })
  healthcareIndexInput(@Root() v: Village, @Ctx() ctx: PlacesContext) {
    return ctx.indexRefs.get('Village', v.code)?.healthcareIndexInput ?? null;
  }

  @Directive('@external')
  @FieldResolver(() => CommerceInputs, { description: EXTERNAL('commerce') })
  commerceIndexInput(@Root() v: Village, @Ctx() ctx: PlacesContext) {
    return ctx.indexRefs.get('Village', v.code)?.commerceIndexInput ?? null;
  }

  @Directive(`@requires(fields: "${INDEX_INPUTS}")`)
  @FieldResolver(() => DigitalVillageIndex, {
    nullable: true,
    description:
      'The digital-village index of the village (0-100) with its components; null for urban ' +
      'communities and other units, for a rural village no domain has figures for, and when a ' +
      'subgraph could not supply the components.',
  })
  digitalIndex(@Root() v: Village, @Ctx() ctx: PlacesContext): DigitalVillageIndex | null {
    const ref = ctx.indexRefs.get('Village', v.code);
    if (v.kind !== VillageKind.RURAL_VILLAGE) return null;
    if (unanswered(ref).length > 0) throw inputsUnavailable();
    return ref && v.kind === VillageKind.RURAL_VILLAGE && scorable(ref)
      ? digitalIndex(v.code, ref)
      : null;
  }
}
