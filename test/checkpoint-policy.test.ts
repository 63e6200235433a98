import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/engine/clock.js';
import { Engine } from '../src/engine/engine.js';
import { tempDir, TEST_NOW } from './helpers/engine.js';

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
    cleanups.push(() => engine.close());
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
    await engine.live.maintain();
    expect(engine.store.walBytes()).toBeLessThan(small);
    expect((await engine.segments.get('openers')).memberCount).toBe(1000);
  });
});
