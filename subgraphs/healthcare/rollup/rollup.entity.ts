import { BigIntType, Entity, Property } from '@mikro-orm/core';
import * as column from '../../shared/columns.js';

/**
 * Precomputed healthcare figures of one region (province, city, county or township), keyed by
 * its division code. Rebuilt from the base tables by `rebuildRegionRollups`.
 */
@Entity({ tableName: 'region_healthcare_rollup' })
export class RegionHealthcareRollup {
  @column.RegionKey('township')
  regionCode!: string;

  /** Rural villages with access measures. */
  @Property({ type: 'integer' })
  villageCount!: number;

  @Property({ type: 'integer', fieldName: 'villages_clinic_15' })
  villagesClinic15!: number;

  @Property({ type: 'integer', fieldName: 'villages_clinic_30' })
  villagesClinic30!: number;

  @Property({ type: 'integer' })
  familyDoctorVillages!: number;

  @Property({ type: 'integer' })
  telemedicineVillages!: number;

  @Property({ type: 'integer' })
  villageClinics!: number;

  @Property({ type: 'integer' })
  townshipCentres!: number;

  @Property({ type: 'integer' })
  countyHospitals!: number;

  @Property({ type: 'integer' })
  doctors!: number;

  @Property({ type: 'integer' })
  onlineAppointmentFacilities!: number;

  @Property({ type: 'integer' })
  telemedicineFacilities!: number;

  @Property({ type: 'integer' })
  assistancePoints!: number;

  /** Assistance points whose existence is reported (not synthetic). */
  @Property({ type: 'integer' })
  reportedAssistancePoints!: number;
}

/** Assisted-booking counts of one region in one month. */
@Entity({ tableName: 'region_booking_rollup' })
export class RegionBookingRollup {
  @column.RegionKey('township')
  regionCode!: string;

  @column.Month()
  month!: string;

  /**
   * 64-bit: sums of many points' reports (reads stay exact as JS numbers up to 2^53). Writes keep
   * a province's bookings over any 120 months within the GraphQL Int range (`assertBookingTotals`).
   */
  @Property({ type: new BigIntType('number') })
  doctorAppointments!: number;

  @Property({ type: new BigIntType('number') })
  testResults!: number;

  @Property({ type: new BigIntType('number') })
  insurance!: number;

  /** Point-months that contributed. */
  @Property({ type: 'integer' })
  pointMonths!: number;

  /** Of those, point-months reported by data stewards rather than generated. */
  @Property({ type: 'integer' })
  reportedPointMonths!: number;
}
