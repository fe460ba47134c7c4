import { Embedded, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';

export enum ServicePointKind {
  LOGISTICS = 'LOGISTICS',
  EXPRESS_PICKUP = 'EXPRESS_PICKUP',
  TRAINING = 'TRAINING',
}

registerEnumType(ServicePointKind, {
  name: 'ServicePointKind',
  description: 'What a village e-commerce service point offers.',
  valuesConfig: {
    LOGISTICS: { description: 'Logistics station collecting and dispatching parcels.' },
    EXPRESS_PICKUP: { description: 'Express parcel pick-up point.' },
    TRAINING: { description: 'Training station teaching villagers to sell online.' },
  },
});

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
