import { describe, expect, it } from 'vitest';
import type { EntityManager } from '../../shared/database.js';
import { bootCulture } from './fixtures.js';

const { culture } = bootCulture(['331124001']);

/** Adds catalogue items with these titles, copied from a seeded one (ids `res-title-<i>`). */
async function addTitles(titles: string[]) {
  const knex = (culture().started.orm.em.fork() as EntityManager).getKnex();
  const [row] = await knex('digital_resource').select('*').orderBy('id').limit(1);
  await knex('digital_resource').insert(
    titles.map((title, i) => ({ ...row, id: `res-title-${i + 1}`, title })),
  );
}

async function titled(text: string): Promise<string[]> {
  const res = await culture().query<{
    digitalResources: { totalCount: number; edges: { node: { title: string } }[] };
  }>(
    `query($text: String) { digitalResources(filter: { titleContains: $text }, first: 100) {
      totalCount edges { node { title } } } }`,
    { text },
  );
  expect(res.body.errors).toBeUndefined();
  const { totalCount, edges } = res.body.data!.digitalResources;
  expect(totalCount).toBe(edges.length);
  return edges.map((e) => e.node.title);
}

describe('digitalResources(filter: { titleContains })', () => {
  it('answers the titles that hold the text as given, on every database', async () => {
    await addTitles(['Tea Basics', '龙井 100% 手册', 'dialect_lesson', 'C:\\path']);
    expect(await titled('Tea')).toEqual(['Tea Basics']);
    expect(await titled('tea')).toEqual([]);
    expect(await titled('100%')).toEqual(['龙井 100% 手册']);
    expect(await titled('0% ')).toEqual(['龙井 100% 手册']);
    expect(await titled('%')).toEqual(['龙井 100% 手册']);
    expect(await titled('_')).toEqual(['dialect_lesson']);
    expect(await titled('t_l')).toEqual(['dialect_lesson']);
    expect(await titled('a_l')).toEqual([]);
    expect(await titled('\\')).toEqual(['C:\\path']);
  });
});
