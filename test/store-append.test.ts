import { afterEach, describe, expect, it } from 'vitest';
import { DuckDBStore } from '../src/store/duckdb/duckdb-store.js';
import { CHANGE_CAUSES, CHANGE_KINDS } from '../src/engine/segments/types.js';

describe('Store.append (the bulk appender)', () => {
  let store: DuckDBStore | undefined;
  afterEach(async () => store?.close());

  it('stores instants as the same UTC moment whatever the session time zone, with text, bigints and nulls', async () => {
    store = await DuckDBStore.open(':memory:');
    // Instants are appended as UTC microseconds: a zone-aware conversion would shift them here.
    await store.run("SET TimeZone = 'America/New_York'");
    await store.run('CREATE TABLE appended (n BIGINT, label TEXT, happened TIMESTAMPTZ)');
    const at = Date.parse('2026-06-01T12:34:56.789Z');
    await store.transaction((tx) =>
      tx.append('appended', ['bigint', 'text', 'instant'], [
        [1, 'first', at],
        [2, null, at + 1],
        [9_007_199_254_740_991, 'big', null],
      ]),
    );
    const rows = await store.all<{ n: number; label: string | null; ms: number | null }>('SELECT n, label, epoch_ms(happened) AS ms FROM appended ORDER BY n');
    expect(rows.map((r) => [Number(r.n), r.label, r.ms === null ? null : Number(r.ms)])).toEqual([
      [1, 'first', at],
      [2, null, at + 1],
      [9_007_199_254_740_991, 'big', null],
    ]);
  });

  it('appends more rows than one data chunk holds, each in its place', async () => {
    store = await DuckDBStore.open(':memory:');
    await store.run('CREATE TABLE appended (n BIGINT, label TEXT, happened TIMESTAMPTZ)');
    const at = Date.parse('2026-06-01T00:00:00Z');
    // 5,000 rows: two full chunks of 2,048 and a part one; every 7th has no label.
    const rows = Array.from({ length: 5000 }, (_, i) => [i, i % 7 === 0 ? null : `row-${i}`, at + (i % 3) * 1000]);
    await store.transaction((tx) => tx.append('appended', ['bigint', 'text', 'instant'], rows));
    const [sum] = await store.all<{ n: number; total: number; unlabelled: number; late: number }>(
      "SELECT count(*) AS n, sum(n) AS total, count(*) FILTER (WHERE label IS NULL) AS unlabelled, count(*) FILTER (WHERE happened = TIMESTAMPTZ '2026-06-01 00:00:02+00') AS late FROM appended",
    );
    expect([sum!.n, Number(sum!.total), sum!.unlabelled, sum!.late]).toEqual([5000, (4999 * 5000) / 2, 715, 1666]);
    const edges = await store.all<{ n: number; label: string | null }>('SELECT n, label FROM appended WHERE n IN (2047, 2048, 4096, 4999) ORDER BY n');
    expect(edges.map((r) => [Number(r.n), r.label])).toEqual([
      [2047, 'row-2047'],
      [2048, 'row-2048'],
      [4096, 'row-4096'],
      [4999, 'row-4999'],
    ]);
  });

  it('stores text of every length and alphabet exactly, equal to the same text written by SQL', async () => {
    store = await DuckDBStore.open(':memory:');
    await store.run('CREATE TABLE appended (n BIGINT, label TEXT)');
    // Up to 12 ASCII bytes are written inline; longer or non-ASCII text goes through DuckDB.
    const labels = ['', 'a', 'c000123', 'twelve-bytes', 'thirteen-byte', 'é', 'naïve', '日本語のテキスト', '😀', 'tab\there', 'a\u0000b', 'x'.repeat(300)];
    const rows = labels.map((label, i) => [-(i + 1) * 4_294_967_297, label]);
    await store.transaction((tx) => tx.append('appended', ['bigint', 'text'], rows));
    const back = await store.all<{ n: number; label: string; len: number }>('SELECT n, label, length(label) AS len FROM appended ORDER BY n DESC');
    expect(back.map((r) => [Number(r.n), r.label])).toEqual(rows);
    expect(back.map((r) => Number(r.len))).toEqual(labels.map((l) => [...l].length));
    // Equality, ordering and hashing see no difference from text that SQL wrote itself.
    await store.run('CREATE TABLE literal AS SELECT label FROM appended WHERE false');
    for (const label of labels) await store.run('INSERT INTO literal VALUES ($1)', [label]);
    const [joined] = await store.all<{ n: number }>('SELECT count(*) AS n FROM appended AS a JOIN literal AS l ON a.label = l.label AND hash(a.label) = hash(l.label)');
    expect(Number(joined!.n)).toBe(labels.length);
    const [ordered] = await store.all<{ same: boolean }>(
      'SELECT (SELECT list(label ORDER BY label) FROM appended) = (SELECT list(label ORDER BY label) FROM literal) AS same',
    );
    expect(ordered!.same).toBe(true);
  });

  it('refuses a number a BIGINT column cannot hold exactly, and writes nothing', async () => {
    store = await DuckDBStore.open(':memory:');
    await store.run('CREATE TABLE appended (n BIGINT, label TEXT)');
    await expect(store.transaction((tx) => tx.append('appended', ['bigint', 'text'], [[1, 'one'], [1.5, 'half']]))).rejects.toThrow(/not an integer/);
    const [count] = await store.all<{ n: number }>('SELECT count(*) AS n FROM appended');
    expect(Number(count!.n)).toBe(0);
  });

  it('writes words into ENUM columns by value, and refuses a word outside the list', async () => {
    store = await DuckDBStore.open(':memory:');
    // The table lists the words in another order than the writer: values, not positions, count.
    await store.run("CREATE TYPE mood AS ENUM ('sad', 'happy')");
    await store.run('CREATE TABLE appended (n BIGINT, m mood)');
    const happyFirst = { enum: ['happy', 'sad'] };
    await store.transaction((tx) => tx.append('appended', ['bigint', happyFirst], [[1, 'happy'], [2, 'sad'], [3, null]]));
    const rows = await store.all<{ n: number; m: string | null }>('SELECT n, m FROM appended ORDER BY n');
    expect(rows.map((r) => [Number(r.n), r.m])).toEqual([[1, 'happy'], [2, 'sad'], [3, null]]);
    await expect(store.transaction((tx) => tx.append('appended', ['bigint', happyFirst], [[4, 'happy'], [5, 'bored']]))).rejects.toThrow(/"bored" is not one of happy, sad/);
    const [count] = await store.all<{ n: number }>('SELECT count(*) AS n FROM appended');
    expect(Number(count!.n)).toBe(3);
  });

  it("stores the change log's direction and cause as ENUMs of exactly the engine's words", async () => {
    store = await DuckDBStore.open(':memory:');
    const [types] = await store.all<{ kinds: string[]; causes: string[] }>(
      'SELECT enum_range(NULL::membership_change_kind) AS kinds, enum_range(NULL::membership_change_cause) AS causes',
    );
    // A cause added to the engine without a migration widening the type would be refused on write.
    expect(types!.kinds).toEqual([...CHANGE_KINDS]);
    expect(types!.causes).toEqual([...CHANGE_CAUSES]);
  });
});
