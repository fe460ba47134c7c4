import { Entity } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Connection } from '../../shared/pagination.js';
import { Provenance } from '../../shared/provenance.js';
import { ProductCategory } from '../store/store.entity.js';
import * as column from '../../shared/columns.js';

/**
 * A workshop processing a farm product (tea leaves) before it is sold, online or not. Recorded
 * where a source reports that such workshops exist; the records themselves are synthetic.
 */
@ObjectType({ description: 'A workshop processing a farm product (e.g. tea leaves) in a village.' })
@Entity({ tableName: 'processing_workshop' })
export class ProcessingWorkshop {
  @column.Key('Stable identifier of the workshop.')
  id!: string;

  @column.Title('Name (descriptive: no real names are known).')
  name!: string;

  @column.DivisionCode('county', { description: 'Code of the county or district.' })
  countyCode!: string;

  @column.DivisionCode('village', { description: 'Code of its village.' })
  villageCode!: string;

  @column.Enum(() => ProductCategory, 'The product it processes.')
  product!: ProductCategory;

  @column.Provenance('Where this record comes from.')
  provenance!: Provenance;
}

@ObjectType({ description: 'A page of processing workshops.' })
export class ProcessingWorkshopConnection extends Connection(
  'ProcessingWorkshop',
  ProcessingWorkshop,
) {}
