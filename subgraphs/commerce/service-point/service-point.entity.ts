import { Embedded, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import { describedEnum, type EnumValue } from '../../shared/enums.js';

export const ServicePointKind = describedEnum(
  'ServicePointKind',
  'What a village e-commerce service point offers.',
  {
    LOGISTICS: 'Logistics station collecting and dispatching parcels.',
    EXPRESS_PICKUP: 'Express parcel pick-up point.',
    TRAINING: 'Training station teaching villagers to sell online.',
  },
);
export type ServicePointKind = EnumValue<typeof ServicePointKind>;

@ObjectType({ description: 'A village e-commerce service point (logistics, pick-up, training).' })
@Entity({ tableName: 'service_point' })
export class ServicePoint {
  @Field(() => ID, { description: 'Stable identifier of the service point.' })
  @PrimaryKey({ type: 'string', length: 40 })
  id!: string;

  @Field(() => String, { description: 'Name of the service point.' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => ID, { description: 'Code of the village it serves.' })
  @Index()
  @Property({ type: 'string', length: 12 })
  villageCode!: string;

  @Field(() => ServicePointKind, { description: 'What it offers.' })
  @Enum({ items: () => ServicePointKind })
  kind!: ServicePointKind;

  @Field(() => Provenance, { description: 'Where this record comes from.' })
  @Embedded(() => Provenance, { prefix: 'provenance_' })
  provenance!: Provenance;
}
