import { Entity } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import * as column from '../../shared/columns.js';

/**
 * The most enterprises one park holds, and demand control's size of a park's `enterprises` (a
 * list without pages). Parks are filled by the seeder only, which hosts no more in one park
 * (assignPark): 23 is what the default seed 1 puts in park-331081-1 unbounded, so its data is as
 * before, and another `--seed` cannot make a park larger than it is priced. Priced at the
 * default 20 before, the largest park did more work than it paid for.
 * test/demand-list-sizes.test.ts checks it against the seeded data.
 */
export const PARK_ENTERPRISES_SIZE = 23;

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
