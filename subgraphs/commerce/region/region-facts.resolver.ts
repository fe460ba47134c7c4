import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ProvenanceKind, SYNTHETIC_SOURCE, provenance } from '../../shared/provenance.js';
import { ReportedFact, reportedFactsResolver, xinhuaFact } from '../../shared/reported-fact.js';
import type { CommerceContext } from '../context.js';
import { SONGYANG } from '../rollup/rollup.rebuild.js';
import { JINGNING } from '../seed/workshops.seed.js';
import { CommerceCount, RegionCommerce } from './region-commerce.types.js';

/**
 * What the Xinhua (2021) article states about rural e-commerce, by region code, worded as
 * stated. Reported figures (Songyang's stores and jobs, the Huang Jiefei enterprise) are on
 * their own fields with REPORTED provenance; these are the statements that carry no figure.
 */
const FACTS: Record<string, ReportedFact[]> = {
  [SONGYANG]: [
    xinhuaFact(
      'songyang-online-tea-stores',
      'Songyang county has about 1,500 online tea stores.',
      '2021',
    ),
    xinhuaFact('songyang-online-tea-jobs', 'Those stores provide over 7,000 jobs.', '2021'),
    xinhuaFact(
      'songyang-ecommerce-parks',
      'E-commerce industrial parks supporting the tea industry have been built in Songyang.',
      '2021',
      'The source gives no count or names: the park records and their number (parks.count) are synthetic.',
    ),
  ],
  [JINGNING]: [
    xinhuaFact(
      'jingning-tea-processing-workshops',
      'Jingning She autonomous county has tea-leaf processing workshops.',
      '2021',
      'The source gives no count or names: the workshop records and their number (processingWorkshops.count) are synthetic.',
    ),
  ],
};

const WORKSHOP_PROVENANCE = provenance(
  ProvenanceKind.SYNTHETIC,
  SYNTHETIC_SOURCE,
  '2021',
  'Counted from synthetic workshop records. Workshops are only modelled where a source reports ' +
    'them (tea-leaf processing in Jingning, 331127); elsewhere 0 means not recorded, not none.',
);

export const RegionCommerceReportedFactsResolver = reportedFactsResolver(RegionCommerce, FACTS, {
  codeOf: (view) => view.code,
  about: 'rural e-commerce in the region',
});

@Resolver(() => RegionCommerce)
export class RegionCommerceFactsResolver {
  @FieldResolver(() => CommerceCount, {
    description: 'Workshops processing farm products (tea leaves), where recorded.',
  })
  async processingWorkshops(@Root() view: RegionCommerce, @Ctx() ctx: CommerceContext) {
    const row = await ctx.loaders.rollups.region.load(view.code);
    return Object.assign(new CommerceCount(), {
      count: row!.workshopCount,
      provenance: WORKSHOP_PROVENANCE,
    });
  }
}
