import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { HealthcareContext } from '../context.js';
import { Facility } from '../facility/facility.entity.js';
import { TelemedicineLink } from './telemedicine-link.entity.js';

@Resolver(() => TelemedicineLink)
export class TelemedicineLinkResolver {
  @FieldResolver(() => Facility, {
    nullable: true,
    description: 'The facility where patients take part in the remote consultation.',
  })
  facility(@Root() link: TelemedicineLink, @Ctx() ctx: HealthcareContext) {
    return ctx.loaders.facilityById.load(link.facilityId);
  }

  @FieldResolver(() => Facility, {
    nullable: true,
    description: 'The higher-level hospital whose doctors consult remotely.',
  })
  partner(@Root() link: TelemedicineLink, @Ctx() ctx: HealthcareContext) {
    return ctx.loaders.facilityById.load(link.partnerId);
  }
}
