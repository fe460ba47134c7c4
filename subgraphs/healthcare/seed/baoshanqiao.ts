import { ProvenanceKind, XINHUA_2021 } from '../../shared/provenance.js';

/**
 * "Baoshanqiao village, Shaoxing" of the Xinhua (2021) article. No unit of that name written
 * 宝山桥 / 保山桥 / 包山桥 exists in the division data; the only village-level unit in Shaoxing
 * (3306) whose name romanises to Baoshanqiao is 宝善桥村委会 (Bǎoshànqiáo), 马鞍街道, 柯桥区.
 * The article gives no Chinese name or code, so the match is by romanisation and says so.
 */
export const BAOSHANQIAO_CODE = '330603011258';

export const BAOSHANQIAO_NOTE =
  'Reported for "Baoshanqiao village, Shaoxing": residents get help booking doctor ' +
  'appointments online at the village culture auditorium. Matched to 宝善桥村委会 ' +
  '(330603011258, 马鞍街道, 柯桥区, 绍兴市), the only village-level unit in Shaoxing whose name ' +
  'romanises to Baoshanqiao; the article gives no Chinese name or code. Monthly counts are ' +
  'synthetic: the article gives none.';

export const BAOSHANQIAO_PROVENANCE = {
  provenance_kind: ProvenanceKind.REPORTED,
  provenance_source: XINHUA_2021,
  provenance_as_of: '2021',
  provenance_note: BAOSHANQIAO_NOTE,
};
