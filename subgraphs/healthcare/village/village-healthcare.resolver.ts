import { Ctx, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import type { HealthcareContext } from '../context.js';
import { Facility } from '../facility/facility.entity.js';
import { Village } from './village.reference.js';

@ObjectType({ description: "The healthcare-access subgraph's view of a village." })
export class VillageHealthcare {
  villageCode!: string;
}

@Resolver(() => Village)
export class VillageHealthcareFieldResolver {
  @FieldResolver(() => VillageHealthcare, {
    nullable: true,
    description: 'Access to healthcare from the village: its clinic and the facilities it reaches.',
  })
  healthcare(@Root() village: Village): VillageHealthcare {
    return Object.assign(new VillageHealthcare(), { villageCode: village.code });
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
}
