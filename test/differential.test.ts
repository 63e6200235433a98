import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Query, SegmentDefinition } from '../src/definition/ast.js';
import { referencedSegments } from '../src/definition/ast.js';
import type { Engine } from '../src/engine/engine.js';
import { TEST_NOW, memoryEngine } from './helpers/engine.js';
import { changeLog, clearData, runMemberSource, seed, storedMembers } from './helpers/seed.js';
import { contactPickArb, dataSetArb, probeArb, queryArb } from './reference/arbitraries.js';
import type { ReferenceContext, ReferenceData } from './reference/evaluator.js';
import { referenceBlockMembers, referenceMembers, sorted } from './reference/evaluator.js';

/**
 * SQL ≡ reference: random definitions over random small data sets, evaluated by the SQL
 * compiler (through estimate, a draft's member source, go-live and a live edit) and by the
 * plain in-memory evaluator in test/reference. `SEGMATA_PROPERTY_RUNS` raises the run count;
 * `SEGMATA_PROPERTY_SEED` (and `SEGMATA_PROPERTY_PATH`) replay a reported counterexample.
 */

const NOW = new Date(TEST_NOW);
const RUNS = Number(process.env.SEGMATA_PROPERTY_RUNS ?? 100);
/**
 * Each run costs a few hundred ms of DuckDB statements, so shrinking a counterexample can take
 * minutes: past this limit fast-check stops and reports the smallest one found so far. A run
 * that passes never gets near it; if it does, the machine is too slow and the test fails.
 */
const TIME_LIMIT_MS = 60_000 + RUNS * 1_000;
const PLACEHOLDER: Query = { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } }] };

const dynamic = (id: string, query: Query): SegmentDefinition => ({ id, name: id, type: 'dynamic', query });

function replayOptions(): fc.Parameters<unknown> {
  const seedEnv = process.env.SEGMATA_PROPERTY_SEED;
  const pathEnv = process.env.SEGMATA_PROPERTY_PATH;
  return {
    numRuns: RUNS,
    interruptAfterTimeLimit: TIME_LIMIT_MS,
    markInterruptAsFailure: true,
    ...(seedEnv ? { seed: Number(seedEnv) } : {}),
    ...(pathEnv ? { path: pathEnv } : {}),
  };
}

/**
 * Make a static segment's members exactly `ids`. Written straight into the store: the
 * add/remove API is proven in lifecycle.test.ts, and this keeps each run cheap.
 */
async function setStaticMembers(engine: Engine, segmentId: string, ids: string[]): Promise<void> {
  await engine.store.run('DELETE FROM memberships WHERE segment_id = $1', [segmentId]);
  for (const id of ids) {
    await engine.store.run('INSERT INTO memberships (segment_id, contact_id, since) VALUES ($1, $2, now())', [segmentId, id]);
  }
}

describe('SQL compiler ≡ reference evaluator (property)', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await memoryEngine();
    // Segments that random definitions reference: one of each way a segment block is read.
    await engine.segments.create({ id: 'ref-static', name: 'ref static', type: 'static' });
    await engine.segments.create(dynamic('ref-draft', PLACEHOLDER));
    await engine.segments.create(dynamic('ref-live', PLACEHOLDER));
    await engine.segments.goLive('ref-live');
    // A live segment whose definition is replaced each run: the live-edit path.
    await engine.segments.create(dynamic('follower', PLACEHOLDER));
    await engine.segments.goLive('follower');
  });

  afterAll(async () => {
    await engine?.close();
  });

  it('gives the same members as the reference for random definitions and data', async () => {
    const refs = ['ref-static', 'ref-draft', 'ref-live'];
    const property = fc.asyncProperty(
      dataSetArb(NOW),
      contactPickArb,
      queryArb(NOW, { segments: ['ref-static'], depth: 1 }),
      queryArb(NOW, { segments: ['ref-static'], depth: 1 }),
      queryArb(NOW, { segments: refs, depth: 2 }),
      probeArb(NOW),
      fc.boolean(),
      async (data, pick, draftQuery, liveQuery, query, probe, viaLive) => {
        await clearData(engine);
        await seed(engine, data);
        const refData: ReferenceData = {
          contacts: data.contacts ?? [],
          accounts: data.accounts ?? [],
          interactions: data.interactions ?? [],
        };
        // Only the segments this run reads are brought up to date (each costs statements).
        const reads = new Set(referencedSegments(query));
        if (reads.has('ref-draft')) referencedSegments(draftQuery).forEach((r) => reads.add(r));
        if (reads.has('ref-live')) referencedSegments(liveQuery).forEach((r) => reads.add(r));

        const existing = new Set(refData.contacts.map((c) => String(c.id)));
        const staticMembers = pick.filter((id) => existing.has(id));
        if (reads.has('ref-static')) await setStaticMembers(engine, 'ref-static', staticMembers);
        const staticRef = { 'ref-static': { members: staticMembers } };
        if (reads.has('ref-draft')) await engine.segments.update('ref-draft', dynamic('ref-draft', draftQuery));
        const liveMembers = sorted(referenceMembers(liveQuery, refData, { now: NOW, segments: staticRef }));
        if (reads.has('ref-live')) {
          // ref-live is live: the edit re-evaluates it against the new data.
          await engine.segments.update('ref-live', dynamic('ref-live', liveQuery));
          expect(await storedMembers(engine, 'ref-live')).toEqual(liveMembers);
        }

        // 0. many single comparisons and behavioral blocks at once, counted block by block.
        const probed = await engine.segments.estimate(dynamic('probe', probe));
        expect(probed.blocks.map((b) => b.count)).toEqual(referenceBlockMembers(probe, refData, { now: NOW }).map((s) => s.size));

        const ctx: ReferenceContext = {
          now: NOW,
          segments: { ...staticRef, 'ref-draft': { query: draftQuery }, 'ref-live': { members: liveMembers } },
        };
        const expected = sorted(referenceMembers(query, refData, ctx));
        const expectedBlocks = referenceBlockMembers(query, refData, ctx).map((s) => s.size);

        // 1. estimate: the total and each top-level block on its own.
        const estimate = await engine.segments.estimate(dynamic('subject', query));
        expect({ total: estimate.total, blocks: estimate.blocks.map((b) => b.count) }).toEqual({
          total: expected.length,
          blocks: expectedBlocks,
        });

        // 2. a saved draft's member source, then (some runs) go-live persisting the same members.
        const readsDraft = reads.has('ref-draft');
        await engine.segments.create(dynamic('subject', query));
        try {
          expect(await runMemberSource(engine, await engine.segments.memberSource('subject'))).toEqual(expected);
          if (viaLive && readsDraft) {
            await expect(engine.segments.goLive('subject')).rejects.toMatchObject({ code: 'lifecycle' });
          } else if (viaLive) {
            const result = await engine.segments.goLive('subject');
            expect(result).toMatchObject({ members: expected.length, entered: expected.length, exited: 0 });
            expect(await storedMembers(engine, 'subject')).toEqual(expected);
          }
        } finally {
          await engine.segments.delete('subject');
        }
        if (!viaLive) return;

        // 3. editing a live segment re-evaluates it and logs the difference as definition_edit.
        if (readsDraft) {
          await expect(engine.segments.update('follower', dynamic('follower', query))).rejects.toMatchObject({ code: 'lifecycle' });
          return;
        }
        const before = await storedMembers(engine, 'follower');
        const logLength = (await changeLog(engine, 'follower')).length;
        await engine.segments.update('follower', dynamic('follower', query));
        expect(await storedMembers(engine, 'follower')).toEqual(expected);
        const entered = expected.filter((id) => !before.includes(id));
        const exited = before.filter((id) => !expected.includes(id));
        expect((await changeLog(engine, 'follower')).slice(logLength)).toEqual([
          ...entered.map((contact_id) => ({ contact_id, change: 'entered', cause: 'definition_edit' })),
          ...exited.map((contact_id) => ({ contact_id, change: 'exited', cause: 'definition_edit' })),
        ]);
      },
    );
    await fc.assert(property, replayOptions());
  }, TIME_LIMIT_MS + 60_000);
});
