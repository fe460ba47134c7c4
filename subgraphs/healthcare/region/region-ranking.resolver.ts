import { Field, Float, Int, ObjectType, Resolver } from 'type-graphql';
import { loadAll } from '../../shared/loaders.js';
import { pageSize, FirstArg } from '../../shared/pagination.js';
import { RankEntry, RankingField, ranked, rankingRange } from '../../shared/ranking.js';
import { ProvenanceKind, SYNTHETIC_SOURCE, provenance } from '../../shared/provenance.js';
import type { HealthcareContext } from '../context.js';
import { shareOf } from '../../shared/ratios.js';
import { SYNTHETIC_AS_OF } from '../seed/model.js';
import { RegionHealthcare } from './region-healthcare.resolver.js';
import type { RegionHealthcareRollup } from '../rollup/rollup.entity.js';
import { Region } from './region.reference.js';
import { describedEnum, type EnumValue } from '../../shared/enums.js';

export const HealthcareMetric = describedEnum(
  'HealthcareMetric',
  'A healthcare-access figure child regions can be ranked by.',
  {
    CLINIC_WITHIN_30_MINUTES_SHARE: 'Share of rural villages with a clinic within 30 minutes.',
    CLINIC_WITHIN_15_MINUTES_SHARE: 'Share of rural villages with a clinic within 15 minutes.',
    FAMILY_DOCTOR_SHARE: 'Share of rural villages with family-doctor contracting.',
    TELEMEDICINE_SHARE: 'Share of rural villages whose first facilities offer telemedicine.',
    ASSISTANCE_POINTS: 'Places where staff help residents book care online.',
    DOCTORS: 'Doctors in the facilities of the region.',
    ASSISTED_BOOKINGS: 'Assisted bookings (all kinds) over a month range.',
  },
);
export type HealthcareMetric = EnumValue<typeof HealthcareMetric>;

const ROLLUP_VALUE: Record<
  Exclude<HealthcareMetric, 'ASSISTED_BOOKINGS'>,
  (r: RegionHealthcareRollup) => number | null
> = {
  CLINIC_WITHIN_30_MINUTES_SHARE: (r) => shareOf(r.villagesClinic30, r.villageCount),
  CLINIC_WITHIN_15_MINUTES_SHARE: (r) => shareOf(r.villagesClinic15, r.villageCount),
  FAMILY_DOCTOR_SHARE: (r) => shareOf(r.familyDoctorVillages, r.villageCount),
  TELEMEDICINE_SHARE: (r) => shareOf(r.telemedicineVillages, r.villageCount),
  ASSISTANCE_POINTS: (r) => r.assistancePoints,
  DOCTORS: (r) => r.doctors,
};

const RANKING_PROVENANCE = provenance(
  ProvenanceKind.SYNTHETIC,
  SYNTHETIC_SOURCE,
  SYNTHETIC_AS_OF,
  'Ranked from precomputed rollups of synthetic records (reported monthly counts included).',
);

@ObjectType({ description: 'A child region ranked by a healthcare-access figure.' })
export class HealthcareRankEntry extends RankEntry(Region) {
  @Field(() => Float, {
    nullable: true,
    description:
      'The figure ranked by: a share from 0 to 1 (4 decimals; null without rural villages) ' +
      'for the *_SHARE metrics, a count otherwise.',
  })
  value!: number | null;

  @Field(() => Int, { description: 'Rural villages of the child region with access measures.' })
  ruralVillageCount!: number;
}

@Resolver(() => RegionHealthcare)
export class RegionHealthcareRankingResolver {
  @RankingField(
    () => HealthcareRankEntry,
    'Child regions (one level down) ranked by a figure, highest first, from the rollup ' +
      'tables. Empty for a township: villages are not regions.',
    { by: HealthcareMetric, monthsFor: 'ASSISTED_BOOKINGS' },
  )
  async childRanking(
    view: RegionHealthcare,
    ctx: HealthcareContext,
    by: HealthcareMetric,
    from?: string,
    to?: string,
    @FirstArg('How many')
    first?: number,
  ): Promise<HealthcareRankEntry[]> {
    const limit = pageSize(first);
    const range = rankingRange(by, by === HealthcareMetric.ASSISTED_BOOKINGS, from, to);
    const children = await ctx.loaders.childRollups.load(view.rollup.regionCode);
    // One query for the month rows of all children (of all parents) of the request.
    const months = range
      ? await loadAll(
          ctx.loaders.bookingsByRegion(range),
          children.map((c) => c.regionCode),
        )
      : [];
    const rows = children.map((c, i) => {
      const m = months[i];
      const value = range
        ? (m ?? []).reduce((acc, x) => acc + x.doctorAppointments + x.testResults + x.insurance, 0)
        : ROLLUP_VALUE[by as keyof typeof ROLLUP_VALUE](c);
      return { code: c.regionCode, value, ruralVillageCount: c.villageCount };
    });
    return ranked(rows, limit, (row, rank) =>
      Object.assign(new HealthcareRankEntry(), {
        rank,
        region: Object.assign(new Region(), { code: row.code }),
        value: row.value,
        ruralVillageCount: row.ruralVillageCount,
        provenance: RANKING_PROVENANCE,
      }),
    );
  }
}
