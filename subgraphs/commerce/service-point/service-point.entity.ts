import { Entity } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import { describedEnum, type EnumValue } from '../../shared/enums.js';
import * as column from '../../shared/columns.js';

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
  @column.Key('Stable identifier of the service point.')
  id!: string;

  @column.Title('Name of the service point.')
  name!: string;

  @column.DivisionCode('village', { description: 'Code of the village it serves.' })
  villageCode!: string;

  @column.Enum(() => ServicePointKind, 'What it offers.')
  kind!: ServicePointKind;

  @column.Provenance('Where this record comes from.')
  provenance!: Provenance;
}
