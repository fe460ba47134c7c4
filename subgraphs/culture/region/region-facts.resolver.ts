import { ReportedFact, reportedFactsResolver, xinhuaFact } from '../../shared/reported-fact.js';
import { RegionCulture } from './region-culture.resolver.js';
import { ROLLUP_AS_OF } from '../rollup/rollup.rebuild.js';

/**
 * What the Xinhua (2021) article states about auditoriums, by region code, worded as stated.
 * The figures next to these statements (counts, coverage) say in their own provenance whether
 * they are the reported ones or counted from synthetic records.
 */
const FACTS: Record<string, ReportedFact[]> = {
  '33': [
    xinhuaFact(
      'zhejiang-auditorium-count',
      'Zhejiang has over 17,000 village culture auditoriums.',
      ROLLUP_AS_OF,
    ),
    xinhuaFact(
      'zhejiang-auditorium-coverage',
      'Village culture auditoriums cover 91.3 % of villages in Zhejiang.',
      ROLLUP_AS_OF,
    ),
    xinhuaFact(
      'zhejiang-auditoriums-digital-hubs',
      'The auditoriums also act as hubs of digital public services.',
      ROLLUP_AS_OF,
      "Reported of the province's auditoriums in general, without a count: digitalServiceHubCount " +
        'is counted from the synthetic auditorium records (those offering help with online ' +
        'public services).',
    ),
  ],
};

export const RegionCultureFactsResolver = reportedFactsResolver(RegionCulture, FACTS, {
  codeOf: (view) => view.regionCode,
  about: "the region's auditoriums",
});
