import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Provenance } from '../../shared/provenance.js';
import * as column from '../../shared/columns.js';

/**
 * Access measures of one rural village: nearest facility of each level and travel minutes to
 * it (by the usual means: on foot to a clinic in the village, by road otherwise).
 */
@Entity({ tableName: 'village_access' })
export class VillageAccess {
  @PrimaryKey({ type: 'string', length: 12 })
  villageCode!: string;

  @Index() // a facility's villages (its opening hours change their profiles)
  @Property({ type: 'string', length: 40, nullable: true })
  nearestClinicId!: string | null;

  @Property({ type: 'integer', nullable: true })
  clinicMinutes!: number | null;

  @Index() // a facility's villages (its opening hours change their profiles)
  @Property({ type: 'string', length: 40 })
  nearestTownshipCentreId!: string;

  @Property({ type: 'integer' })
  townshipCentreMinutes!: number;

  @Index() // a facility's villages (its opening hours change their profiles)
  @Property({ type: 'string', length: 40 })
  nearestCountyHospitalId!: string;

  @Property({ type: 'integer' })
  countyHospitalMinutes!: number;

  @Property({ type: 'boolean' })
  familyDoctorCovered!: boolean;

  @column.Provenance()
  provenance!: Provenance;
}
