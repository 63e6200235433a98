import { afterEach, describe, expect, it } from 'vitest';
import { DuckDBStore } from '../src/store/duckdb/duckdb-store.js';

describe('Store.append (the bulk appender)', () => {
  let store: DuckDBStore | undefined;
  afterEach(async () => store?.close());

  it('stores instants as the same UTC moment whatever the session time zone, with text, bigints and nulls', async () => {
    store = await DuckDBStore.open(':memory:');
    // Instants are appended as plain timestamps: a zone-aware conversion would shift them here.
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
});
