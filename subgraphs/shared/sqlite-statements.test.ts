import { MikroORM } from '@mikro-orm/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, ormOptions, type EntityManager, type Orm } from './database.js';
import { bindStrings } from './sqlite-statements.js';

const platform = { quoteValue: (v: unknown) => (v === null ? 'null' : String(v)) };

describe('bindStrings', () => {
  it('binds the strings and writes numbers and nulls into the text', () => {
    expect(
      bindStrings(
        'select * from t where a in (?, ?) and b = ? and c is ?',
        ['x', 'y', 7, null],
        platform,
      ),
    ).toEqual({
      sql: 'select * from t where a in (?, ?) and b = 7 and c is null',
      bindings: ['x', 'y'],
    });
  });

  it.each([
    ['select a from t where b in (select c from u where d = ?)', ['x']],
    ['insert into t (a, b) values (?, ?)', ['x', 'y']],
    ["update t set a = ? where b = ? and c = 'from'", ['x', 'y']],
    ['delete from t where a in (?, ?)', ['x', 'y']],
  ])('binds the strings of %s', (sql, params) => {
    expect(bindStrings(sql, params, platform)?.bindings).toEqual(params);
  });

  it.each([
    ['no string parameter', 'select ? + ?', [1, 2]],
    ['a boolean', 'select ?, ?', ['x', true]],
    ['a date', 'select ?, ?', ['x', new Date(0)]],
    ['an object', 'select ?, ?', ['x', { a: 1 }]],
    ['an identifier', 'select ?? from t where a = ?', ['col', 'x']],
    ['an escaped question mark', "select '\\?', ?", ['x']],
    ['fewer parameters than placeholders', 'select ?, ?', ['x']],
    ['more parameters than placeholders', 'select ?', ['x', 'y']],
    ['a number that is not finite', 'select ?, ?', ['x', Number.NaN]],
    ['a placeholder in the select list', 'select ? as s from t where a = ?', ['x', 'y']],
    ['a subquery in the select list', 'select (select 1 from u where b = ?) from t', ['x']],
    ['a quoted "from" in the select list', 'select "from", ? from t where a = ?', ['x', 'y']],
    ['a pragma', 'pragma table_info(?)', ['village']],
    ['a table definition', 'create table d (a text default ?)', ['x']],
    ['a returning clause', 'insert into t (a) values (?) returning a', ['x']],
  ])('leaves the statement to MikroORM with %s', (_, sql, params) => {
    expect(bindStrings(sql, params, platform)).toBeUndefined();
  });
});

describe('SQLite statements with string parameters', () => {
  let dir: string;
  let patched: Orm;
  let plain: Orm;
  const em = (orm: Orm) => orm.em.fork() as EntityManager;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-statements-'));
    const url = `sqlite:${join(dir, 'db.sqlite')}`;
    const migrations = { sqlite: [], postgresql: [] };
    patched = await openDatabase({ url, entities: [], migrations, migrate: false });
    // The same file through MikroORM as it is: every parameter written into the text.
    plain = await MikroORM.init(ormOptions({ url, entities: [], migrations }));
    await em(plain).execute(
      'create table village (code text primary key, name text, people integer, share real)',
    );
    // Bound, so that a name may hold a NUL (see the last test).
    await em(patched).execute(
      'insert into village values (?, ?, 1200, 0.4), (?, ?, 7, null), (?, ?, 3, 1.5)',
      ['330203009205', '后仓村', '330203009206', "it's", 'x?y', 'a\u0000b'],
    );
  });

  afterAll(async () => {
    await patched?.close();
    await plain?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const statements: [string, unknown[]][] = [
    ['select * from village where code in (?, ?) order by code', ['330203009205', 'x?y']],
    [
      'select name, people / ? as half, ? as s, typeof(?) as t from village where code = ?',
      [2, 'it\'s "quoted"', 'z', '330203009206'],
    ],
    ['select count(*) as n from village where name = ? or name like ?', ['后仓村', 'it%']],
    [
      'select ? || ? as joined, length(?) as len',
      ['𝄞 emoji', ' \\ back', "'; drop table village; --"],
    ],
    ['select * from village where people > ? and code like ? order by code', [2, '3302%']],
    ['select * from village where share is ? and code = ?', [null, '330203009206']],
  ];

  it.each(statements)('answers %s as MikroORM does', async (sql, params) => {
    const expected = await em(plain).getConnection().execute(sql, params);
    expect(await em(patched).getConnection().execute(sql, params)).toEqual(expected);
  });

  it('answers an in (…) list longer than SQLite binds as MikroORM does', async () => {
    const codes = Array.from({ length: 40_000 }, (_, i) => `k${i}`).concat('330203009205');
    const sql = `select code from village where code in (${codes.map(() => '?').join(', ')})`;
    expect(await em(patched).getConnection().execute(sql, codes)).toEqual([
      { code: '330203009205' },
    ]);
  });

  it('answers a knex query builder as MikroORM does', async () => {
    const query = (orm: Orm) =>
      em(orm).execute(
        em(orm).getKnex().select('code', 'people').from('village').where('name', '后仓村').limit(5),
      );
    expect(await query(patched)).toEqual(await query(plain));
  });

  it('finds a string holding a NUL, which MikroORM cannot write into the text', async () => {
    const sql = 'select code from village where name = ?';
    await expect(em(plain).getConnection().execute(sql, ['a\u0000b'])).rejects.toThrow();
    expect(await em(patched).getConnection().execute(sql, ['a\u0000b'])).toEqual([{ code: 'x?y' }]);
  });

  it('prepares a statement once for every key it is run with', async () => {
    const manager = em(patched);
    const connection = manager.getConnection();
    const db = (await connection.getKnex().client.acquireConnection()) as {
      statementCache: Map<string, unknown>;
    };
    await connection.getKnex().client.releaseConnection(db);
    const before = db.statementCache.size;
    for (let i = 0; i < 50; i++) {
      await connection.execute('select * from village where code in (?)', [`33020300${i}`]);
    }
    // MikroORM as it is writes each key into the text: 50 statements, each prepared once.
    expect(db.statementCache.size - before).toBe(1);
  });
});
