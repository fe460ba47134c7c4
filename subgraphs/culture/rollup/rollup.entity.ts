import { Entity, Index, Property } from '@mikro-orm/core';
import { Provenance } from '../../shared/provenance.js';
import * as column from '../../shared/columns.js';

/**
 * Auditorium figures of one region (province, city, county or township), precomputed from the
 * auditorium table by code prefix so that a region query reads one row.
 */
@Entity({ tableName: 'region_culture_rollup' })
@Index({ properties: ['level', 'regionCode'] })
export class RegionCultureRollup {
  @column.RegionKey('township')
  regionCode!: string;

  /** Length of the code: 2, 4, 6 or 9. */
  @Property({ type: 'smallint' })
  level!: number;

  @Property({ type: 'integer' })
  auditoriumCount!: number;

  /** Distinct rural villages served by an auditorium. */
  @Property({ type: 'integer' })
  ruralVillagesCovered!: number;

  @Property({ type: 'integer' })
  digitalServiceHubCount!: number;

  @column.Provenance()
  provenance!: Provenance;
}

/**
 * Usage sums of one region in one month (usage reports and events), so that a month range is
 * at most a few dozen rows per region. Sums are bigint: national totals exceed 32 bits.
 */
@Entity({ tableName: 'region_usage_rollup' })
@Index({ properties: ['level', 'month'] })
export class RegionUsageRollup {
  @column.RegionKey('township')
  regionCode!: string;

  @column.Month()
  month!: string;

  @Property({ type: 'smallint' })
  level!: number;

  /** Auditorium-month usage reports summed here. */
  @Property({ type: 'bigint' })
  reports!: string;

  @Property({ type: 'bigint' })
  visits!: string;

  @Property({ type: 'bigint' })
  resourceViews!: string;

  @Property({ type: 'bigint' })
  medicalAppointmentSessions!: string;

  @Property({ type: 'bigint' })
  socialInsuranceSessions!: string;

  @Property({ type: 'bigint' })
  eGovernmentSessions!: string;

  @Property({ type: 'bigint' })
  otherAssistedSessions!: string;

  @Property({ type: 'bigint' })
  events!: string;

  @Property({ type: 'bigint' })
  eventAttendance!: string;
}
