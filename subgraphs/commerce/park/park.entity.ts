import { Embedded, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';

@ObjectType({ description: 'An e-commerce industrial park hosting online-selling enterprises.' })
@Entity({ tableName: 'ecommerce_park' })
export class EcommercePark {
  @Field(() => ID, { description: 'Stable identifier of the park.' })
  @PrimaryKey({ type: 'string', length: 40 })
  id!: string;

  @Field(() => String, { description: 'Name of the park.' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => ID, { description: 'Code of the county or district of the park.' })
  @Index()
  @Property({ type: 'string', length: 6 })
  countyCode!: string;

  @Field(() => Int, { description: 'Jobs in the park.' })
  @Property({ type: 'integer' })
  jobs!: number;

  @Field(() => Provenance, { description: 'Where this record comes from.' })
  @Embedded(() => Provenance, { prefix: 'provenance_' })
  provenance!: Provenance;
}
