import { Embedded, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '../../shared/pagination.js';
import { Provenance } from '../../shared/provenance.js';
import { ProductCategory } from '../store/store.entity.js';

/**
 * A workshop processing a farm product (tea leaves) before it is sold, online or not. Recorded
 * where a source reports that such workshops exist; the records themselves are synthetic.
 */
@ObjectType({ description: 'A workshop processing a farm product (e.g. tea leaves) in a village.' })
@Entity({ tableName: 'processing_workshop' })
export class ProcessingWorkshop {
  @Field(() => ID, { description: 'Stable identifier of the workshop.' })
  @PrimaryKey({ type: 'string', length: 40 })
  id!: string;

  @Field(() => String, { description: 'Name (descriptive: no real names are known).' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => ID, { description: 'Code of the county or district.' })
  @Index()
  @Property({ type: 'string', length: 6 })
  countyCode!: string;

  @Field(() => ID, { description: 'Code of its village.' })
  @Index()
  @Property({ type: 'string', length: 12 })
  villageCode!: string;

  @Field(() => ProductCategory, { description: 'The product it processes.' })
  @Enum({ items: () => ProductCategory })
  product!: ProductCategory;

  @Field(() => Provenance, { description: 'Where this record comes from.' })
  @Embedded(() => Provenance, { prefix: 'provenance_' })
  provenance!: Provenance;
}

@ObjectType({ description: 'A page of processing workshops.' })
export class ProcessingWorkshopConnection extends Connection(
  'ProcessingWorkshop',
  ProcessingWorkshop,
) {}
