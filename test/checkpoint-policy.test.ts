import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/engine/clock.js';
import { Engine } from '../src/engine/engine.js';
import { checkpointToRun, type CheckpointState } from '../src/engine/live/checkpoints.js';
import { DuckDBStore } from '../src/store/duckdb/duckdb-store.js';
import { tempDir, TEST_NOW } from './helpers/engine.js';

describe('which checkpoint a long-running process runs at an idle moment', () => {
  const streaming: CheckpointState = {
    sinceCheckpoint: 1_000,
    deadRows: 100_000,
    liveRows: 10_000_000,
    walBytes: 1024,
    batchesSinceCheckpoint: 10,
    batchesSinceVacuum: 500,
    thinned: true,
    compacted: false,
  };

  it('none while the WAL is small and the last one recent; a light one (no vacuum) past 8 MiB or 30 s', () => {
    expect(checkpointToRun(streaming)).toBe('none');
    expect(checkpointToRun({ ...streaming, walBytes: 8 * 1024 * 1024 })).toBe('light');
    expect(checkpointToRun({ ...streaming, sinceCheckpoint: 30_000 })).toBe('light');
  });

  it('a vacuuming one once the stream pauses, once half as many memberships were deleted as the table holds, and after a compaction', () => {
    expect(checkpointToRun({ ...streaming, batchesSinceCheckpoint: 0 })).toBe('vacuum');
    expect(checkpointToRun({ ...streaming, deadRows: 4_999_999 })).toBe('none');
    expect(checkpointToRun({ ...streaming, deadRows: 5_000_000 })).toBe('vacuum');
    // Nothing deleted (an empty table, before the first sync): nothing to vacuum.
    expect(checkpointToRun({ ...streaming, deadRows: 0, liveRows: 0 })).toBe('none');
    expect(checkpointToRun({ ...streaming, compacted: true })).toBe('vacuum');
  });

  it('a due vacuum waits for rows to have been deleted since the last checkpoint: only those row groups are vacuumed', () => {
    expect(checkpointToRun({ ...streaming, thinned: false, batchesSinceCheckpoint: 0 })).toBe('none');
    expect(checkpointToRun({ ...streaming, thinned: false, deadRows: 5_000_000, walBytes: 8 * 1024 * 1024 })).toBe('light');
  });

  it('none at all when nothing was written since the last vacuuming one', () => {
    expect(checkpointToRun({ ...streaming, batchesSinceCheckpoint: 0, batchesSinceVacuum: 0, walBytes: 0, deadRows: 9_000_000 })).toBe('none');
  });
});

describe('a checkpoint with and without vacuum', () => {
  it('leaves row groups thinned by deletes as they are, or merges those thinned since the last checkpoint', async () => {
    const { dir, cleanup } = tempDir();
    const store = await DuckDBStore.open(`${dir}/vacuum.duckdb`);
    try {
      const rowGroups = async (): Promise<number> =>
        (await store.all<{ n: number }>("SELECT count(DISTINCT row_group_id) AS n FROM pragma_storage_info('thinned')"))[0]!.n;
      // Three row groups of 122,880 rows, then 80% of the rows deleted from all of them.
      await store.run('CREATE TABLE thinned AS SELECT i, md5(CAST(i AS VARCHAR)) AS v FROM range(368640) t(i)');
      await store.checkpoint({ vacuum: true });
      expect(await rowGroups()).toBe(3);
      await store.run('DELETE FROM thinned WHERE i % 5 <> 0');
      await store.checkpoint({ vacuum: false });
      expect(await rowGroups()).toBe(3);
      // Deletes already checkpointed are not looked at again: a vacuum needs fresh ones.
      await store.checkpoint({ vacuum: true });
      expect(await rowGroups()).toBe(3);
      await store.run('DELETE FROM thinned WHERE i % 1000 = 5');
      await store.checkpoint({ vacuum: true });
      expect(await rowGroups()).toBe(1);
      expect((await store.all<{ n: number }>('SELECT count(*) AS n FROM thinned'))[0]!.n).toBe(73728 - 369);
    } finally {
      await store.close();
      cleanup();
    }
  });
});

/** A long-running process checkpoints at idle moments: every 30 s, or sooner once the WAL holds 8 MiB. */
describe('checkpoints of a long-running process', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('come once the WAL passes 8 MiB, not only every 30 s, so each pause stays short', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const engine = await Engine.open({ db: `${dir}/wal.duckdb`, clock: fixedClock(TEST_NOW), resident: true });
    let open = true;
    cleanups.push(() => (open ? engine.close() : undefined));
    await engine.upsertRecords('contacts', Array.from({ length: 1000 }, (_, n) => ({ id: `c${n}`, state: 'AZ' })));
    await engine.segments.create({ id: 'openers', name: 'Openers', type: 'dynamic', query: { blocks: [{ kind: 'behavioral', interaction: 'email_open' }] } });
    await engine.segments.goLive('openers');
    await engine.live.processPending();
    await engine.live.sync();
    await engine.live.maintain();

    let seq = 0;
    const ingest = async (n: number): Promise<void> => {
      const rows = Array.from({ length: n }, () => ({ id: `i${++seq}`, contact_id: `c${seq % 1000}`, type: 'email_open', occurred_at: TEST_NOW, campaign_id: `campaign-${seq}-${'x'.repeat(200)}` }));
      await engine.ingestInteractions(rows);
      await engine.live.processPending();
      await engine.live.sync();
    };

    // Under 8 MiB and well within 30 s: the WAL is left as it is.
    await ingest(5000);
    const small = engine.store.walBytes();
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThan(8 * 1024 * 1024);
    await engine.live.maintain();
    expect(engine.store.walBytes()).toBe(small);

    // Past 8 MiB: the next idle moment checkpoints it into the database.
    for (let i = 0; i < 20 && engine.store.walBytes() < 8 * 1024 * 1024; i++) await ingest(10_000);
    expect(engine.store.walBytes()).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    const before = engine.live.checkpoints.light.count;
    await engine.live.maintain();
    expect(engine.store.walBytes()).toBeLessThan(small);
    // A light one (no vacuum): the stream has not paused.
    expect(engine.live.checkpoints.light.count).toBe(before + 1);
    expect(engine.live.checkpoints.vacuum.count).toBe(0);
    expect((await engine.segments.get('openers')).memberCount).toBe(1000);

    // Closing with a light one due runs the vacuuming one instead: after a light one, it would
    // find no row group changed, and reclaim nothing.
    for (let i = 0; i < 20 && engine.store.walBytes() < 8 * 1024 * 1024; i++) await ingest(10_000);
    const light = engine.live.checkpoints.light.count;
    open = false;
    await engine.close();
    expect(engine.live.checkpoints.light.count).toBe(light);
    expect(engine.live.checkpoints.vacuum.count).toBe(1);
  });

  it("leave one core to the JS main thread: DuckDB gets the rest, a one-shot command DuckDB's default", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const threads = async (resident: boolean): Promise<number> => {
      const engine = await Engine.open({ db: `${dir}/threads-${resident}.duckdb`, clock: fixedClock(TEST_NOW), resident });
      try {
        const [row] = await engine.store.all<{ n: number }>("SELECT current_setting('threads') AS n");
        return Number(row!.n);
      } finally {
        await engine.close();
      }
    };
    const plain = await DuckDBStore.open(':memory:');
    const [byDefault] = await plain.all<{ n: number }>("SELECT current_setting('threads') AS n");
    await plain.close();
    expect(await threads(true)).toBe(Math.max(1, availableParallelism() - 1));
    expect(await threads(false)).toBe(Number(byDefault!.n));
  });
});
