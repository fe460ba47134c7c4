import { Entity, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import {
  DivisionCodeColumn,
  KeyColumn,
  ProvenanceColumns,
  TitleColumn,
} from '../../shared/columns.js';

@ObjectType({ description: 'An e-commerce industrial park hosting online-selling enterprises.' })
@Entity({ tableName: 'ecommerce_park' })
export class EcommercePark {
  @KeyColumn('Stable identifier of the park.')
  id!: string;

  @TitleColumn('Name of the park.')
  name!: string;

  @DivisionCodeColumn('county', { description: 'Code of the county or district of the park.' })
  countyCode!: string;

  @Field(() => Int, { description: 'Jobs in the park.' })
  @Property({ type: 'integer' })
  jobs!: number;

  @ProvenanceColumns('Where this record comes from.')
  provenance!: Provenance;
}
