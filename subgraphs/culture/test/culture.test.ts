import { describe, expect, it } from 'vitest';
import { SYNTHETIC_SOURCE, XINHUA_2021 } from '../../shared/provenance.js';
import { bootCulture } from './fixtures.js';
import { ZHEJIANG_ROLLUP_NOTE } from '../rollup/rollup.rebuild.js';

// The whole province: the 91.3 % coverage is calibrated over all of Zhejiang's rural villages.
const { culture, rural, regionRefs, scalar } = bootCulture(['zhejiang']);

const REGION_CULTURE = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region {
  culture { auditoriumCount ruralVillagesCovered coverage coveragePercent
            provenance { kind source asOf note } } } } }`;

describe('culture subgraph', () => {
  it("serves Houcang village's reported auditorium with its digital resources", async () => {
    const res = await culture().query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Village { code culture {
          auditorium { id name villageCode digitalServiceHub services
            provenance { kind source asOf }
            resources { kind dialect } } } } } }`,
      { r: [{ __typename: 'Village', code: '330203009205' }] },
    );
    const auditorium = (
      res.body.data as {
        _entities: { culture: { auditorium: Record<string, unknown> & { resources: object[] } } }[];
      }
    )._entities[0].culture.auditorium;
    expect(auditorium).toMatchObject({
      id: 'aud-330203009205',
      name: '后仓村文化礼堂',
      villageCode: '330203009205',
      digitalServiceHub: true,
      provenance: { kind: 'REPORTED', source: XINHUA_2021, asOf: '2021' },
    });
    expect(auditorium.services).toEqual(
      expect.arrayContaining(['BOOK_LENDING', 'DIALECT_LEARNING', 'TRADITIONAL_CULTURE_COURSES']),
    );
    // Its dialect lessons are in the Ningbo Wu dialect; it also offers courses and e-books.
    expect(auditorium.resources).toEqual(
      expect.arrayContaining([
        { kind: 'DIALECT_LESSON', dialect: 'NINGBO_WU' },
        { kind: 'TRADITIONAL_CULTURE_COURSE', dialect: null },
        { kind: 'E_BOOK', dialect: null },
      ]),
    );
  });

  it("serves Baoshanqiao's reported auditorium, where staff help book doctor appointments", async () => {
    const res = await culture().query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Auditorium {
          id villageCode digitalServiceHub services provenance { kind source } } } }`,
      { r: [{ __typename: 'Auditorium', id: 'aud-330603011258' }] },
    );
    const auditorium = (res.body.data as { _entities: Record<string, unknown>[] })._entities[0];
    expect(auditorium).toMatchObject({
      id: 'aud-330603011258',
      villageCode: '330603011258',
      digitalServiceHub: true,
      provenance: { kind: 'REPORTED', source: XINHUA_2021 },
    });
    expect(auditorium.services).toContain('MEDICAL_APPOINTMENT_HELP');
  });

  it('reports over 17,000 auditoriums and 91.3 % coverage for Zhejiang, as published', async () => {
    expect(rural.get('33')).toBe(19_429);
    const res = await culture().query(REGION_CULTURE, { r: regionRefs(['33', '331124']) });
    const [zhejiang, songyang] = (
      res.body.data as { _entities: { culture: Record<string, unknown> }[] }
    )._entities.map((e) => e.culture);
    expect(zhejiang).toEqual({
      auditoriumCount: 17_739,
      ruralVillagesCovered: 17_739,
      coverage: 0.913, // 17,739 of 19,429 rural villages, to 4 decimals
      coveragePercent: 91.3,
      provenance: {
        kind: 'REPORTED',
        source: XINHUA_2021,
        asOf: '2020-12-31',
        note: ZHEJIANG_ROLLUP_NOTE,
      },
    });
    expect(zhejiang.auditoriumCount).toBeGreaterThan(17_000);
    expect(songyang.provenance).toMatchObject({ kind: 'SYNTHETIC', source: SYNTHETIC_SOURCE });
    expect(songyang.auditoriumCount).toBe(
      await scalar("select count(*) from auditorium where village_code like '331124%'"),
    );
  });

  it('answers every county of the province with as many statements as one city', async () => {
    const counties = [...rural.keys()].filter((c) => c.length === 6).sort();
    expect(counties.length).toBeGreaterThan(80);
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Region {
      culture { coverage usage(from: "2020-01", to: "2020-12") { visits reports } } } } }`;
    culture().sql.reset();
    const one = await culture().query(query, {
      r: regionRefs(counties.filter((c) => c.startsWith('3311'))),
    });
    const perCity = culture().sql.count;
    culture().sql.reset();
    const all = await culture().query(query, { r: regionRefs(counties) });
    expect(culture().sql.count).toBe(perCity);
    expect(perCity).toBe(2); // one rollup read, one usage-rollup read
    const rows = (all.body.data as { _entities: { culture: { coverage: number | null } }[] })
      ._entities;
    expect(rows).toHaveLength(counties.length);
    expect(one.body.errors).toBeUndefined();
    // Urban districts without rural villages have no coverage share.
    for (const [i, code] of counties.entries()) {
      if (rural.get(code)) expect(rows[i].culture.coverage).toBeGreaterThan(0);
      else expect(rows[i].culture.coverage).toBeNull();
    }
  });

  it('counts the auditorium matches of a services filter beside their page', async () => {
    const res = await culture().query<{
      auditoriums: { totalCount: number; edges: { node: { services: string[] } }[] };
    }>(`{ auditoriums(filter: { regionCode: "3311", service: BOOK_LENDING }, first: 5) {
          totalCount edges { node { services } } } }`);
    expect(res.body.errors).toBeUndefined();
    const { totalCount, edges } = res.body.data!.auditoriums;
    expect(edges).toHaveLength(5);
    for (const e of edges) expect(e.node.services).toContain('BOOK_LENDING');
    expect(totalCount).toBe(
      await scalar(
        `select count(*) from auditorium where village_code like '3311%' and cast(services as text) like '%"BOOK_LENDING"%'`,
      ),
    );
  });

  it('searches the catalogue by dialect and topic, a page at a time', async () => {
    const page = (after: string | null) =>
      culture().query<{
        digitalResources: {
          totalCount: number;
          edges: { node: { id: string; dialect: string; format: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }>(
        `query($after: String) { digitalResources(filter: { dialect: SHE_JINGNING, topic: DIALECT },
           first: 3, after: $after) { totalCount edges { node { id dialect format language } }
           pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
    const first = (await page(null)).body.data!.digitalResources;
    expect(first.totalCount).toBe(4);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await page(first.pageInfo.endCursor)).body.data!.digitalResources;
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect([...first.edges, ...second.edges].map((e) => e.node)).toEqual(
      [1, 2, 3, 4].map((i) => ({
        id: `res-dialect-she-jingning-${i}`,
        dialect: 'SHE_JINGNING',
        format: 'AUDIO',
        language: 'SHE',
      })),
    );
    const tea = await culture().query(
      `{ digitalResources(filter: { topic: TEA_CULTURE }) { edges { node { kind topic } } } }`,
    );
    expect(tea.body.data).toEqual({
      digitalResources: {
        edges: [
          { node: { kind: 'TRADITIONAL_CULTURE_COURSE', topic: 'TEA_CULTURE' } },
          { node: { kind: 'E_BOOK', topic: 'TEA_CULTURE' } },
        ],
      },
    });
    // Jingning's auditoriums teach She; the lessons list them.
    const she = await culture().query(
      `{ digitalResource(id: "res-dialect-she-jingning-1") { offeredByCount
          offeredBy(first: 2) { edges { node { villageCode } } } } }`,
    );
    const offered = (
      she.body.data as {
        digitalResource: {
          offeredByCount: number;
          offeredBy: { edges: { node: { villageCode: string } }[] };
        };
      }
    ).digitalResource;
    expect(offered.offeredByCount).toBeGreaterThan(0);
    for (const e of offered.offeredBy.edges) expect(e.node.villageCode).toMatch(/^331127/);
  });
});
