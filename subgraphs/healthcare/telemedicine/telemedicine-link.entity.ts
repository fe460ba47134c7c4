import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import * as column from '../../shared/columns.js';

/** A facility's remote-consultation arrangement with a higher-level hospital. */
@ObjectType({
  description:
    'A telemedicine arrangement: the facility can hold remote consultations with a ' +
    'higher-level hospital.',
})
@Entity({ tableName: 'telemedicine_link' })
export class TelemedicineLink {
  @PrimaryKey({ type: 'string', length: 40 })
  facilityId!: string;

  @PrimaryKey({ type: 'string', length: 40 })
  partnerId!: string;

  /** Location code of the facility, for scoped reseeding. */
  @Index()
  @Property({ type: 'string', length: 12 })
  locationCode!: string;

  @column.Integer('Year the arrangement started.', { nullable: true })
  sinceYear!: number | null;

  @column.Provenance('Where this record comes from.')
  provenance!: Provenance;
}
