import { ProvenanceKind, SYNTHETIC_SOURCE } from '../../shared/provenance.js';
import { intBetween, rngFor } from '../../shared/synthetic.js';
import {
  Dialect,
  ResourceFormat,
  ResourceKind,
  ResourceLanguage,
  ResourceTopic,
} from '../resource/digital-resource.entity.js';

/** The Wu dialect taught in each Zhejiang city (4-digit code). */
export const CITY_DIALECT: Record<string, Dialect> = {
  '3301': Dialect.HANGZHOU_WU,
  '3302': Dialect.NINGBO_WU,
  '3303': Dialect.WENZHOU_WU,
  '3304': Dialect.JIAXING_WU,
  '3305': Dialect.HUZHOU_WU,
  '3306': Dialect.SHAOXING_WU,
  '3307': Dialect.JINHUA_WU,
  '3308': Dialect.QUZHOU_WU,
  '3309': Dialect.ZHOUSHAN_WU,
  '3310': Dialect.TAIZHOU_WU,
  '3311': Dialect.LISHUI_WU,
};

/** Jingning She autonomous county, Lishui: its auditoriums also teach the She language. */
export const JINGNING = '331127';

const DIALECT_NAME: Record<Dialect, string> = {
  HANGZHOU_WU: '杭州话',
  NINGBO_WU: '宁波话',
  WENZHOU_WU: '温州话',
  JIAXING_WU: '嘉兴话',
  HUZHOU_WU: '湖州话',
  SHAOXING_WU: '绍兴话',
  JINHUA_WU: '金华话',
  QUZHOU_WU: '衢州话',
  ZHOUSHAN_WU: '舟山话',
  TAIZHOU_WU: '台州话',
  LISHUI_WU: '丽水话',
  SHE_JINGNING: '景宁畲语',
};

const DIALECT_UNITS = ['日常问候', '数字与赶集', '家人与节庆', '童谣与民间故事'];

const COURSES: [string, ResourceTopic][] = [
  ['越剧入门', ResourceTopic.LOCAL_OPERA],
  ['二十四节气与农事', ResourceTopic.FOLK_CUSTOMS],
  ['春节、端午与中秋习俗', ResourceTopic.FESTIVALS],
  ['竹编与木雕手艺', ResourceTopic.HANDICRAFTS],
  ['龙井与松阳银猴：茶文化', ResourceTopic.TEA_CULTURE],
  ['浙江乡村村史', ResourceTopic.LOCAL_HISTORY],
  ['家训家风与乡贤文化', ResourceTopic.FOLK_CUSTOMS],
  ['畲族彩带与畲族歌舞', ResourceTopic.HANDICRAFTS],
];

const E_BOOKS: [string, ResourceTopic][] = [
  ['唐诗三百首', ResourceTopic.LITERATURE],
  ['浙江历史文化读本', ResourceTopic.LOCAL_HISTORY],
  ['茶树栽培与加工技术', ResourceTopic.TEA_CULTURE],
  ['农村实用种植技术', ResourceTopic.AGRICULTURE],
  ['老年人常见病预防', ResourceTopic.HEALTH],
  ['智能手机与网上办事入门', ResourceTopic.DIGITAL_SKILLS],
  ['浙江民间故事选', ResourceTopic.LITERATURE],
  ['传统节日读本', ResourceTopic.FESTIVALS],
];

/**
 * The catalogue items with a title of their own, in Standard Chinese: video courses (25 to 90
 * minutes) and e-books (120 to 480 pages), numbered from 1 after their id prefix.
 */
const TITLED = [
  {
    titles: COURSES,
    id: 'res-course',
    kind: ResourceKind.TRADITIONAL_CULTURE_COURSE,
    format: ResourceFormat.VIDEO,
    length: (rng: () => number) => ({ duration_minutes: intBetween(rng, 25, 90), pages: null }),
  },
  {
    titles: E_BOOKS,
    id: 'res-ebook',
    kind: ResourceKind.E_BOOK,
    format: ResourceFormat.TEXT,
    length: (rng: () => number) => ({ duration_minutes: null, pages: intBetween(rng, 120, 480) }),
  },
];

/**
 * The synthetic catalogue: four audio lessons per dialect, video courses and e-books. Titles and
 * ids are fixed; lengths and page counts come from the seed.
 */
export function catalogueRows(seed: number): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const base = (id: string) => ({
    id,
    provenance_kind: ProvenanceKind.SYNTHETIC,
    provenance_source: SYNTHETIC_SOURCE,
    provenance_as_of: '2020-12-31',
    provenance_note: 'Catalogue entry made up for demonstration.',
  });
  for (const dialect of Object.values(Dialect)) {
    DIALECT_UNITS.forEach((unit, i) => {
      const id = `res-dialect-${dialect.toLowerCase().replace(/_/g, '-')}-${i + 1}`;
      rows.push({
        ...base(id),
        title: `${DIALECT_NAME[dialect]}第${i + 1}课：${unit}`,
        kind: ResourceKind.DIALECT_LESSON,
        topic: ResourceTopic.DIALECT,
        format: ResourceFormat.AUDIO,
        language:
          dialect === Dialect.SHE_JINGNING ? ResourceLanguage.SHE : ResourceLanguage.WU_CHINESE,
        dialect,
        duration_minutes: intBetween(rngFor(seed, `resource:${id}`), 12, 30),
        pages: null,
      });
    });
  }
  for (const item of TITLED) {
    item.titles.forEach(([title, topic], i) => {
      const id = `${item.id}-${i + 1}`;
      rows.push({
        ...base(id),
        title,
        kind: item.kind,
        topic,
        format: item.format,
        language: ResourceLanguage.STANDARD_CHINESE,
        dialect: null,
        ...item.length(rngFor(seed, `resource:${id}`)),
      });
    });
  }
  return rows;
}

export const [COURSE_IDS, E_BOOK_IDS] = TITLED.map((item) =>
  item.titles.map((_, i) => `${item.id}-${i + 1}`),
);

export function dialectLessonIds(dialect: Dialect): string[] {
  return DIALECT_UNITS.map(
    (_, i) => `res-dialect-${dialect.toLowerCase().replace(/_/g, '-')}-${i + 1}`,
  );
}
