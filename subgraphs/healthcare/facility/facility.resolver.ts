import { Ctx, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { heldRegionCode } from '../../shared/loaded-scope.js';
import {
  RegionConnectionQuery,
  Connection,
  PageArgs,
  listPage,
  pageById,
} from '../../shared/pagination.js';
import type { HealthcareContext } from '../context.js';
import { TelemedicineLink } from '../telemedicine/telemedicine-link.entity.js';
import { Facility, FacilityLevel } from './facility.entity.js';
import { ByIdQuery } from '../../shared/by-id.js';
import { codesUnder } from '../../shared/code-range.js';

@ObjectType({ description: 'A page of facilities.' })
export class FacilityConnection extends Connection('Facility', Facility) {}

@Resolver(() => Facility)
export class FacilityResolver {
  @ByIdQuery(() => Facility, 'A health facility by id.')
  facility(id: string, ctx: HealthcareContext) {
    return ctx.loaders.facilityById.load(id);
  }

  @RegionConnectionQuery(
    () => FacilityConnection,
    'Facilities standing in a region (by division code prefix), ordered by id.',
    'Province, city, county, township or village code.',
    { name: 'level', type: () => FacilityLevel, description: 'Only this level.' },
  )
  async facilities(
    regionCode: string,
    page: PageArgs,
    ctx: HealthcareContext,
    level: FacilityLevel | null,
  ) {
    await heldRegionCode(ctx, regionCode, 'regionCode', { village: true });
    const where = { locationCode: codesUnder(regionCode), ...(level ? { level } : {}) };
    return pageById(ctx.em, Facility, where, listPage(page, 'facilities', regionCode, level));
  }

  @FieldResolver(() => [TelemedicineLink], {
    description: 'Higher-level hospitals this facility holds remote consultations with.',
  })
  telemedicine(@Root() facility: Facility, @Ctx() ctx: HealthcareContext) {
    return ctx.loaders.telemedicineByFacility.load(facility.id);
  }
}

export function resolveFacilityReference(ref: { id: string }, ctx: HealthcareContext) {
  return ctx.loaders.facilityById.load(ref.id);
}
