import { ProvenanceKind, SYNTHETIC_SOURCE } from '../../shared/provenance.js';
import { intBetween, pick, rngFor } from '../../shared/synthetic.js';
import { AuditoriumService } from '../auditorium/auditorium.entity.js';
import { AuditoriumEventType } from '../event/auditorium-event.entity.js';
import { Dialect } from '../resource/digital-resource.entity.js';
import { CITY_DIALECT, COURSE_IDS, E_BOOK_IDS, JINGNING, dialectLessonIds } from './catalogue.js';

/** The 24 months of synthetic usage: 2019-01 … 2020-12, up to the reported figures' date. */
export const USAGE_MONTHS: string[] = [2019, 2020].flatMap((y) =>
  Array.from({ length: 12 }, (_, m) => `${y}-${String(m + 1).padStart(2, '0')}`),
);

/** What the seeder knows of an auditorium when it generates its activity. */
export interface SeededAuditorium {
  id: string;
  villageCode: string;
  villageName: string;
  services: AuditoriumService[];
  yearOpened: number | null;
  seats: number;
}

const SYNTHETIC = {
  provenance_kind: ProvenanceKind.SYNTHETIC,
  provenance_source: SYNTHETIC_SOURCE,
  provenance_note: null,
};

/** Resources an auditorium offers, following its services and the local dialect. */
export function resourceLinks(seed: number, a: SeededAuditorium): Record<string, unknown>[] {
  const random = rngFor(seed, `resources:${a.id}`);
  const ids = new Set<string>();
  const has = (s: AuditoriumService) => a.services.includes(s);
  const some = (list: string[], n: number) => {
    for (let i = 0; i < n; i++) ids.add(pick(random, list));
  };
  some(E_BOOK_IDS, 1);
  if (has(AuditoriumService.DIGITAL_LIBRARY_TERMINAL)) some(E_BOOK_IDS, 3);
  if (has(AuditoriumService.TRADITIONAL_CULTURE_COURSES)) some(COURSE_IDS, 2);
  const dialect = CITY_DIALECT[a.villageCode.slice(0, 4)];
  if (has(AuditoriumService.DIALECT_LEARNING) && dialect) {
    some(dialectLessonIds(dialect), 2);
    if (a.villageCode.startsWith(JINGNING)) some(dialectLessonIds(Dialect.SHE_JINGNING), 2);
  }
  return [...ids].map((resourceId) => ({
    auditorium_id: a.id,
    resource_id: resourceId,
    village_code: a.villageCode,
  }));
}

/** Spring Festival brings people home; early 2020 closures cut visits. */
function seasonFactor(month: string): number {
  if (month === '2020-02' || month === '2020-03') return 0.35;
  const m = Number(month.slice(5));
  if (m === 1 || m === 2) return 1.35;
  if (m === 7 || m === 8) return 1.15;
  return 1;
}

/** What each usage month contributes whatever the auditorium: worked out once, not per row. */
const MONTH_FACTORS = USAGE_MONTHS.map((month) => ({
  month,
  year: Number(month.slice(0, 4)),
  season: seasonFactor(month),
  growth: month.startsWith('2020') ? 1.1 : 1,
}));

/** Assisted sessions per month: the service that offers them and the most a month records. */
const ASSISTED: [AuditoriumService, number][] = [
  [AuditoriumService.MEDICAL_APPOINTMENT_HELP, 40],
  [AuditoriumService.SOCIAL_INSURANCE_HELP, 25],
  [AuditoriumService.E_GOVERNMENT_HELP, 25],
  [AuditoriumService.ONLINE_PUBLIC_SERVICE_HELP, 20],
];

/**
 * Synthetic monthly usage from the opening year (or 2019) to 2020-12. Each row draws from its
 * own generator (`usage:<id>:<month>`): visits, then each assisted service the auditorium offers,
 * in ASSISTED's order.
 */
export function usageRows(seed: number, a: SeededAuditorium): Record<string, unknown>[] {
  const profile = rngFor(seed, `usage-profile:${a.id}`);
  const base = intBetween(profile, 120, Math.max(200, a.seats * 3));
  const viewShare = a.services.includes(AuditoriumService.DIGITAL_LIBRARY_TERMINAL)
    ? 0.6 + profile()
    : 0.1 + profile() * 0.3;
  const maxima = ASSISTED.map(([s, max]) => (a.services.includes(s) ? max : -1));
  const rows: Record<string, unknown>[] = [];
  for (const { month, year, season, growth } of MONTH_FACTORS) {
    if (a.yearOpened !== null && year < a.yearOpened) continue;
    const random = rngFor(seed, `usage:${a.id}:${month}`);
    // Multiplied in this order: the rounding, and so the data, depend on it.
    const visits = Math.round(base * season * growth * (0.85 + random() * 0.3));
    const sessions = maxima.map((max) => (max < 0 ? 0 : intBetween(random, 0, max)));
    rows.push({
      auditorium_id: a.id,
      month,
      village_code: a.villageCode,
      visits,
      resource_views: Math.round(visits * viewShare),
      medical_appointment_sessions: sessions[0],
      social_insurance_sessions: sessions[1],
      e_government_sessions: sessions[2],
      other_assisted_sessions: sessions[3],
      provenance_kind: SYNTHETIC.provenance_kind,
      provenance_source: SYNTHETIC.provenance_source,
      provenance_note: SYNTHETIC.provenance_note,
      provenance_as_of: month,
    });
  }
  return rows;
}

const EVENT_TITLES: Record<AuditoriumEventType, string> = {
  PERFORMANCE: '越剧专场演出',
  LECTURE: '村史讲座',
  READING_SESSION: '农家书屋读书会',
  DIALECT_CLASS: '方言课堂',
  TRADITIONAL_CULTURE_CLASS: '传统文化课',
  DIGITAL_SKILLS_TRAINING: '智能手机使用培训',
  E_COMMERCE_TRAINING: '农产品电商培训',
  FESTIVAL_CELEBRATION: '春节联欢会',
  PUBLIC_SERVICE_DAY: '数字公共服务日（网上挂号、社保办理）',
};
const EVENT_TYPES = Object.values(AuditoriumEventType);

/** Zero to two synthetic events per year the auditorium was open in 2019–2020. */
export function eventRows(seed: number, a: SeededAuditorium): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const year of [2019, 2020]) {
    if (a.yearOpened !== null && year < a.yearOpened) continue;
    const random = rngFor(seed, `events:${a.id}:${year}`);
    const n = intBetween(random, 0, 2);
    for (let i = 0; i < n; i++) {
      const type = pick(random, EVENT_TYPES);
      const month = String(intBetween(random, 1, 12)).padStart(2, '0');
      const day = String(intBetween(random, 1, 28)).padStart(2, '0');
      rows.push({
        id: `evt-${a.villageCode}-${year}-${i + 1}`,
        auditorium_id: a.id,
        village_code: a.villageCode,
        date: `${year}-${month}-${day}`,
        title: `${a.villageName}${EVENT_TITLES[type]}`,
        type,
        attendance: intBetween(random, 20, Math.max(40, Math.min(a.seats, 400))),
        ...SYNTHETIC,
        provenance_as_of: `${year}-${month}-${day}`,
      });
    }
  }
  return rows;
}
