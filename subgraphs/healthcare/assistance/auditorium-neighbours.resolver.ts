import { GraphQLError } from 'graphql';
import { Arg, Ctx, Directive, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { SERVICE_IDENTITY_KIND } from '../../shared/changes.js';
import { badUserInput } from '../../shared/errors.js';
import type { HealthcareContext } from '../context.js';
import { auditoriumIdOf } from './auditorium.reference.js';

@ObjectType('_AuditoriumNeighbour', {
  description: 'A village whose residents are helped at an auditorium (an assistance point).',
})
@Directive('@inaccessible')
export class AuditoriumNeighbour {
  @Field(() => ID, { description: 'The village of the auditorium.' })
  auditoriumVillageCode!: string;

  @Field(() => ID, { description: 'A village helped there.' })
  villageCode!: string;
}

/** Most villages one read may name: a page of the change feed names at most 1000. */
export const MAX_AUDITORIUM_VILLAGES = 1_000;

/**
 * `_auditoriumNeighbours(villageCodes)`: the villages with an assistance point at the auditorium
 * of each of those villages, for places' change feed only (`@inaccessible`, answered only to a caller signed
 * as a service). A culture write at an auditorium is recorded at the auditorium's village; a
 * village whose point is there shows that auditorium in its profile
 * (`healthcare.assistancePoints.auditorium`), so the feed lists it as well (docs/partners.md).
 */
@Resolver()
export class AuditoriumNeighbourResolver {
  @Directive('@inaccessible')
  @Query(() => [AuditoriumNeighbour], {
    name: '_auditoriumNeighbours',
    description: 'Internal: the villages helped at the auditoriums of these villages.',
  })
  async neighbours(
    @Arg('villageCodes', () => [ID]) villageCodes: string[],
    @Ctx() ctx: HealthcareContext,
  ): Promise<AuditoriumNeighbour[]> {
    if (ctx.identity?.kind !== SERVICE_IDENTITY_KIND) {
      throw new GraphQLError('Not available.', { extensions: { code: 'FORBIDDEN' } });
    }
    if (villageCodes.length > MAX_AUDITORIUM_VILLAGES) {
      throw badUserInput(`At most ${MAX_AUDITORIUM_VILLAGES} villages.`, 'villageCodes');
    }
    if (villageCodes.length === 0) return [];
    const byAuditorium = new Map(villageCodes.map((code) => [auditoriumIdOf(code), code]));
    const rows = (await ctx.em
      .getKnex()('assistance_point')
      .distinct('auditorium_id', 'village_code')
      .whereIn('auditorium_id', [...byAuditorium.keys()])
      .orderBy(['auditorium_id', 'village_code'])) as {
      auditorium_id: string;
      village_code: string;
    }[];
    return rows.map((r) => ({
      auditoriumVillageCode: byAuditorium.get(r.auditorium_id)!,
      villageCode: r.village_code,
    }));
  }
}
