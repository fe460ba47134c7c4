import { assertHeld } from '../../shared/loaded-scope.js';
import { Ctx, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { loadAll } from '../../shared/loaders.js';
import { Provenance } from '../../shared/provenance.js';
import type { VillageAccess } from '../access/village-access.entity.js';
import { AssistancePoint } from '../assistance/assistance-point.entity.js';
import type { HealthcareContext } from '../context.js';
import { Facility } from '../facility/facility.entity.js';
import { TelemedicineLink } from '../telemedicine/telemedicine-link.entity.js';
import { Village } from './village.reference.js';

@ObjectType({ description: "The healthcare-access subgraph's view of a village." })
export class VillageHealthcare {
  villageCode!: string;
  access!: VillageAccess;
}

@ObjectType({
  description: 'How far the village is from care: the nearest facility of each level.',
})
export class VillageAccessMeasures {
  row!: VillageAccess;
}

/** The facilities a village reaches first, nearest level first, without duplicates. */
function reachedFacilityIds(a: VillageAccess): string[] {
  const ids = [a.nearestClinicId, a.nearestTownshipCentreId, a.nearestCountyHospitalId];
  return [...new Set(ids.filter((id): id is string => id !== null))];
}

@Resolver(() => Village)
export class VillageHealthcareFieldResolver {
  @FieldResolver(() => VillageHealthcare, {
    nullable: true,
    description:
      'Access to healthcare from the village; null for urban communities and villages with ' +
      'no data loaded.',
  })
  async healthcare(@Root() village: Village, @Ctx() ctx: HealthcareContext) {
    await assertHeld(ctx, village.code);
    const access = await ctx.loaders.accessByVillage.load(village.code);
    if (!access) return null;
    return Object.assign(new VillageHealthcare(), { villageCode: village.code, access });
  }
}

@Resolver(() => VillageHealthcare)
export class VillageHealthcareResolver {
  @FieldResolver(() => Facility, {
    nullable: true,
    description: 'The village clinic, if the village has one.',
  })
  clinic(@Root() view: VillageHealthcare, @Ctx() ctx: HealthcareContext) {
    return ctx.loaders.clinicByVillage.load(view.villageCode);
  }

  @FieldResolver(() => VillageAccessMeasures, {
    description: 'Nearest clinic, township health centre and county hospital, with travel times.',
  })
  access(@Root() view: VillageHealthcare): VillageAccessMeasures {
    return Object.assign(new VillageAccessMeasures(), { row: view.access });
  }

  @FieldResolver(() => [Facility], {
    description:
      'The facilities the village reaches first: nearest clinic, township health centre, ' +
      'county hospital.',
  })
  async facilities(@Root() view: VillageHealthcare, @Ctx() ctx: HealthcareContext) {
    const found = await loadAll(ctx.loaders.facilityById, reachedFacilityIds(view.access));
    return found.filter((f): f is Facility => f !== null);
  }

  @FieldResolver(() => [AssistancePoint], {
    description: 'Places in the village where staff help residents book care online.',
  })
  assistancePoints(@Root() view: VillageHealthcare, @Ctx() ctx: HealthcareContext) {
    return ctx.loaders.pointsByVillage.load(view.villageCode);
  }

  @FieldResolver(() => [TelemedicineLink], {
    description:
      'Remote-consultation arrangements of the facilities the village reaches first, with ' +
      'their higher-level hospitals.',
  })
  async telemedicine(@Root() view: VillageHealthcare, @Ctx() ctx: HealthcareContext) {
    const lists = await Promise.all(
      reachedFacilityIds(view.access).map((id) => ctx.loaders.telemedicineByFacility.load(id)),
    );
    return lists.flat();
  }
}

@Resolver(() => VillageAccessMeasures)
export class VillageAccessResolver {
  @FieldResolver(() => Facility, {
    nullable: true,
    description: "The nearest village clinic (the village's own, or a neighbour's); null if none.",
  })
  nearestClinic(@Root() { row }: VillageAccessMeasures, @Ctx() ctx: HealthcareContext) {
    return row.nearestClinicId ? ctx.loaders.facilityById.load(row.nearestClinicId) : null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Travel minutes to the nearest clinic.',
  })
  clinicMinutes(@Root() { row }: VillageAccessMeasures): number | null {
    return row.clinicMinutes;
  }

  @FieldResolver(() => Facility, {
    nullable: true,
    description: 'The township health centre serving the village.',
  })
  nearestTownshipHealthCentre(
    @Root() { row }: VillageAccessMeasures,
    @Ctx() ctx: HealthcareContext,
  ) {
    return ctx.loaders.facilityById.load(row.nearestTownshipCentreId);
  }

  @FieldResolver(() => Int, { description: 'Travel minutes to the township health centre.' })
  townshipHealthCentreMinutes(@Root() { row }: VillageAccessMeasures): number {
    return row.townshipCentreMinutes;
  }

  @FieldResolver(() => Facility, {
    nullable: true,
    description: 'The nearest county hospital.',
  })
  nearestCountyHospital(@Root() { row }: VillageAccessMeasures, @Ctx() ctx: HealthcareContext) {
    return ctx.loaders.facilityById.load(row.nearestCountyHospitalId);
  }

  @FieldResolver(() => Int, { description: 'Travel minutes to the nearest county hospital.' })
  countyHospitalMinutes(@Root() { row }: VillageAccessMeasures): number {
    return row.countyHospitalMinutes;
  }

  @FieldResolver(() => Boolean, {
    description: 'Whether the village is covered by family-doctor contracting (家庭医生签约).',
  })
  familyDoctorCovered(@Root() { row }: VillageAccessMeasures): boolean {
    return row.familyDoctorCovered;
  }

  @FieldResolver(() => Provenance, { description: 'Where these access measures come from.' })
  provenance(@Root() { row }: VillageAccessMeasures): Provenance {
    return row.provenance;
  }
}
