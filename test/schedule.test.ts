import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compactSchedule, earliestDue, earliestPassed, effectiveSchedule } from '../src/engine/live/schedule.js';
import { DuckDBStore } from '../src/store/duckdb/duckdb-store.js';
import { tempDir } from './helpers/engine.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const at = (minutes: number): string => new Date(NOW + minutes * 60_000).toISOString();

describe('the schedule', () => {
  let store: DuckDBStore | undefined;
  afterEach(async () => store?.close());

  it('earliestPassed is the earliest overdue effective instant: superseded and cleared rows do not count', async () => {
    store = await DuckDBStore.open(':memory:');
    const insert = (seq: number, contact: string, segment: string, due: string | null): Promise<void> =>
      store!.run('INSERT INTO live_schedule (seq, contact_id, segment_id, due_at) VALUES ($1, $2, $3, CAST($4 AS TIMESTAMPTZ))', [seq, contact, segment, due]);
    // c1: an overdue single-segment row superseded by a later '*' row in the future.
    await insert(1, 'c1', 'a', at(-30));
    await insert(2, 'c1', '*', at(5));
    // c2: an overdue row cleared by a later NULL of the same pair.
    await insert(3, 'c2', 'a', at(-20));
    await insert(4, 'c2', 'a', null);
    // c3: a future row only.
    await insert(5, 'c3', 'b', at(20));
    const now = new Date(NOW);
    expect(await earliestPassed(store, now), 'nothing effective is overdue').toBe(Infinity);
    expect(await earliestDue(store)).toBe(Date.parse(at(5)));
    // c4: an effective overdue row, and a later one of another segment.
    await insert(6, 'c4', 'a', at(-3));
    await insert(7, 'c4', 'b', at(-1));
    expect(await earliestPassed(store, now)).toBe(Date.parse(at(-3)));
    expect(await earliestDue(store)).toBe(Date.parse(at(-3)));
  });

  it('compaction drops only superseded rows, also while another connection appends newer ones', async () => {
    const { dir, cleanup } = tempDir();
    try {
      store = await DuckDBStore.open(join(dir, 'compact.duckdb'));
      const insert = (seq: number, contact: string, segment: string, due: string | null): Promise<void> =>
        store!.run('INSERT INTO live_schedule (seq, contact_id, segment_id, due_at) VALUES ($1, $2, $3, CAST($4 AS TIMESTAMPTZ))', [seq, contact, segment, due]);
      await insert(1, 'c1', 'a', at(10)); // superseded by seq 2
      await insert(2, 'c1', 'a', at(20));
      await insert(3, 'c2', 'a', at(5)); // superseded by the later '*' row of c2
      await insert(4, 'c2', '*', at(30));
      await insert(5, 'c3', 'b', at(40)); // cleared by seq 6
      await insert(6, 'c3', 'b', null);
      await insert(7, 'c4', 'b', at(50)); // effective
      const effective = async (): Promise<string[]> =>
        (await store!.all<{ r: string }>(`SELECT contact_id || '/' || segment_id || '@' || seq AS r FROM (${effectiveSchedule()}) ORDER BY seq`)).map((x) => x.r);
      const before = await effective();
      expect(before).toEqual(['c1/a@2', 'c2/*@4', 'c4/b@7']);
      // The compaction runs on the background connection; a batch appends on the main one meanwhile.
      let release!: () => void;
      const appended = new Promise<void>((r) => (release = r));
      const compaction = store.backgroundTransaction(async (tx) => {
        await appended;
        await compactSchedule(tx);
      });
      await insert(8, 'c4', 'b', at(60)); // supersedes seq 7, unseen by the compaction's snapshot
      release();
      await compaction;
      const rows = (await store.all<{ seq: number }>('SELECT seq FROM live_schedule ORDER BY seq')).map((r) => Number(r.seq));
      // Superseded rows go (a cleared pair keeps nothing); the effective ones and the new one stay
      // (seq 7 too, if the compaction's snapshot predates seq 8).
      expect(rows.filter((r) => r !== 7)).toEqual([2, 4, 8]);
      expect(await effective()).toEqual(['c1/a@2', 'c2/*@4', 'c4/b@8']);
    } finally {
      await store?.close();
      store = undefined;
      cleanup();
    }
  });
});
