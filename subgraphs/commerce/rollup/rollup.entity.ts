import { BigIntType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Provenance } from '../../shared/provenance.js';
import type { Platform, ProductCategory } from '../store/store.entity.js';
import * as column from '../../shared/columns.js';

/**
 * Precomputed per-region figures, one row per region code (2, 4, 6, 9 or 12 digits), rebuilt by
 * the seeder and kept current by the mutations in the same transaction as the change.
 * `parent_code` (the code one level up) makes child rankings an indexed lookup.
 */
@Entity({ tableName: 'commerce_region' })
export class CommerceRegion {
  @column.RegionKey('village')
  regionCode!: string;

  @Index()
  @Property({ type: 'string', length: 12, nullable: true })
  parentCode!: string | null;

  @Property({ type: 'integer' })
  storeCount!: number;

  /** 64-bit: a sum of many stores' jobs (reads stay exact as JS numbers up to 2^53). */
  @Property({ type: new BigIntType('number') })
  jobs!: number;

  @Property({ type: 'integer' })
  enterpriseCount!: number;

  @Property({ type: 'integer' })
  parkCount!: number;

  @Property({ type: new BigIntType('number') })
  parkJobs!: number;

  @Property({ type: 'integer' })
  servicePointCount!: number;

  /** Processing workshops (only modelled where a source reports them: see docs/data.md). */
  @Property({ type: 'integer', default: 0 })
  workshopCount!: number;

  /** Provenance of the store count and jobs (REPORTED where calibrated to a publication). */
  @column.Provenance()
  provenance!: Provenance;
}

/** Active stores and their jobs per region, platform and category. */
@Entity({ tableName: 'commerce_region_store' })
export class CommerceRegionStore {
  @column.RegionKey('village')
  regionCode!: string;

  @PrimaryKey({ type: 'string', length: 20 })
  platform!: Platform;

  @PrimaryKey({ type: 'string', length: 20 })
  category!: ProductCategory;

  @Property({ type: 'integer' })
  storeCount!: number;

  /** 64-bit: a sum of many stores' jobs (reads stay exact as JS numbers up to 2^53). */
  @Property({ type: new BigIntType('number') })
  jobs!: number;
}

/** Online sales per region and month (all stores, whatever their status now). */
@Entity({ tableName: 'commerce_region_month' })
@Index({ properties: ['parentCode', 'month'] })
export class CommerceRegionMonth {
  @column.RegionKey('village')
  regionCode!: string;

  @column.Month()
  month!: string;

  @Property({ type: 'string', length: 12, nullable: true })
  parentCode!: string | null;

  @Property({ type: new BigIntType('string') })
  orders!: string;

  @Property({ type: new BigIntType('string') })
  revenueFen!: string;
}
