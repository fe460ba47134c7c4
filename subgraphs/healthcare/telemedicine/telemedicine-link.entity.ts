import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { Provenance } from '../../shared/provenance.js';
import { ProvenanceColumns } from '../../shared/columns.js';

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

  @Field(() => Int, { nullable: true, description: 'Year the arrangement started.' })
  @Property({ type: 'integer', nullable: true })
  sinceYear!: number | null;

  @ProvenanceColumns('Where this record comes from.')
  provenance!: Provenance;
}
