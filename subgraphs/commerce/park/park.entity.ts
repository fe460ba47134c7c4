import { Entity } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import * as column from '../../shared/columns.js';

@ObjectType({ description: 'An e-commerce industrial park hosting online-selling enterprises.' })
@Entity({ tableName: 'ecommerce_park' })
export class EcommercePark {
  @column.Key('Stable identifier of the park.')
  id!: string;

  @column.Title('Name of the park.')
  name!: string;

  @column.DivisionCode('county', { description: 'Code of the county or district of the park.' })
  countyCode!: string;

  @column.Integer('Jobs in the park.')
  jobs!: number;

  @column.Provenance('Where this record comes from.')
  provenance!: Provenance;
}
