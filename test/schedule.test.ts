import { afterEach, describe, expect, it } from 'vitest';
import { earliestDue, earliestPassed } from '../src/engine/live/schedule.js';
import { DuckDBStore } from '../src/store/duckdb/duckdb-store.js';

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
});
