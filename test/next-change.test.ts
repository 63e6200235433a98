import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompileContext } from '../src/compiler/compile.js';
import { compileNextChanges } from '../src/compiler/next-change.js';
import type { Query } from '../src/definition/ast.js';
import { loadContactData } from '../src/engine/contact/load.js';
import { nextChangeAt } from '../src/engine/contact/next-change.js';
import type { Engine } from '../src/engine/engine.js';
import { TEST_NOW, memoryEngine } from './helpers/engine.js';
import { clearData, seed } from './helpers/seed.js';
import { evaluationInstantArb, timedDataSetArb, timedQueryArb } from './helpers/time-arbitraries.js';

/**
 * compileNextChanges ≡ nextChangeAt: the set-based statement that fills the schedule when a
 * segment goes live gives every contact exactly the instant the per-contact path computes
 * from the same rows (loaded as the live path loads them). nextChangeAt's soundness against
 * the evaluator is proven in src/engine/contact/next-change.test.ts.
 */

const NOW = new Date(TEST_NOW);
const RUNS = Number(process.env.SEGMATA_PROPERTY_RUNS ?? 100);
const DAY = 86_400_000;

interface DueRow extends Record<string, unknown> {
  contact_id: string;
  due_at: Date;
}

describe('compileNextChanges ≡ nextChangeAt (property)', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await memoryEngine();
    // A datetime interaction property, so interaction filters can depend on time too.
    await engine.addAttribute('interaction', 'sent_at', 'datetime');
  });

  afterAll(async () => {
    await engine?.close();
  });

  const context = (now: Date, draftQuery?: Query): CompileContext => ({
    registry: engine.registry,
    dialect: engine.store.dialect,
    now,
    segmentSource: (id) => (id === 'ref-draft' && draftQuery ? { kind: 'inline', query: draftQuery } : { kind: 'members' }),
  });

  async function sqlDue(query: Query, ctx: CompileContext): Promise<DueRow[]> {
    const compiled = compileNextChanges(query, ctx);
    return engine.store.all<DueRow>(compiled.sql, compiled.params);
  }

  it('gives each contact the instant the per-contact path gives', async () => {
    await fc.assert(
      fc.asyncProperty(
        timedDataSetArb(NOW),
        timedQueryArb(NOW, { segments: ['ref-static', 'ref-draft'], depth: 2 }),
        timedQueryArb(NOW, { segments: ['ref-static'], depth: 1 }),
        evaluationInstantArb(NOW),
        async (data, query, draftQuery, nowMs) => {
          await clearData(engine);
          await seed(engine, data);
          const now = new Date(nowMs);
          const rows = await sqlDue(query, context(now, draftQuery));
          const actual = rows.map((r) => [r.contact_id, r.due_at.toISOString()]).sort();

          const ids = (data.contacts ?? []).map((c) => c.id);
          const loaded = await loadContactData(engine.store, ids);
          const env = { registry: engine.registry, now, inlineQuery: (id: string) => (id === 'ref-draft' ? draftQuery : undefined) };
          const expected: string[][] = [];
          for (const [id, d] of loaded) {
            const due = nextChangeAt(query, d, env);
            if (due) expected.push([id, due.toISOString()]);
          }
          // One row per contact, only for contacts that exist (never the interaction-only `c-ghost`).
          expect(actual).toEqual(expected.sort());
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('returns no rows, with the right columns, when nothing depends on time', async () => {
    await clearData(engine);
    await seed(engine, { contacts: [{ id: 'c1', state: 'AZ', created_at: '2024-05-31T12:00:00Z' }] });
    const fixed: Query = { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } }, { kind: 'segment', segment: 'live', relation: 'or' }] };
    expect(await sqlDue(fixed, context(NOW))).toEqual([]);
    const relative: Query = { blocks: [{ kind: 'profile', where: { attr: 'created_at', op: 'in_last', value: { amount: 7, unit: 'days' } } }] };
    expect(await sqlDue(relative, context(NOW))).toEqual([{ contact_id: 'c1', due_at: new Date('2024-06-07T12:00:00Z') }]);
  });

  it('schedules the earliest of several candidates per contact and skips unknown contacts', async () => {
    await clearData(engine);
    await seed(engine, {
      contacts: [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }],
      interactions: [
        { contact_id: 'c1', type: 'email_open', occurred_at: new Date(NOW.getTime() - 10 * DAY).toISOString() },
        { contact_id: 'c1', type: 'email_open', occurred_at: new Date(NOW.getTime() - 25 * DAY).toISOString() },
        { contact_id: 'c2', type: 'email_open', occurred_at: new Date(NOW.getTime() - 40 * DAY).toISOString() },
        // Exactly 30 days old: already out of the window at now, nothing left to schedule.
        { contact_id: 'c3', type: 'email_open', occurred_at: new Date(NOW.getTime() - 30 * DAY).toISOString() },
        { contact_id: 'c-ghost', type: 'email_open', occurred_at: new Date(NOW.getTime() - DAY).toISOString() },
      ],
    });
    const query: Query = { blocks: [{ kind: 'behavioral', interaction: 'email_open', window: { last: { amount: 30, unit: 'days' } } }] };
    const compiled = compileNextChanges(query, context(NOW));
    // Values travel as parameters, never inside the SQL text.
    expect(compiled.sql).not.toContain('email_open');
    expect(await sqlDue(query, context(NOW))).toEqual([{ contact_id: 'c1', due_at: new Date(NOW.getTime() + 5 * DAY) }]);
  });

  it('schedules a relative window at both edges: entering at t + to_ago, leaving at t + from_ago', async () => {
    await clearData(engine);
    const at = (days: number): string => new Date(NOW.getTime() - days * DAY).toISOString();
    await seed(engine, {
      contacts: [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }, { id: 'c4' }],
      interactions: [
        { contact_id: 'c1', type: 'email_open', occurred_at: at(10) }, // enters in 20 days
        { contact_id: 'c2', type: 'email_open', occurred_at: at(40) }, // inside, leaves in 50 days
        { contact_id: 'c3', type: 'email_open', occurred_at: at(90) }, // exactly 90 days old: out for good
        { contact_id: 'c4', type: 'email_open', occurred_at: at(30) }, // exactly 30 days old: inside, leaves in 60 days
      ],
    });
    const query: Query = {
      blocks: [{ kind: 'behavioral', interaction: 'email_open', window: { from_ago: { amount: 90, unit: 'days' }, to_ago: { amount: 30, unit: 'days' } } }],
    };
    const rows = (await sqlDue(query, context(NOW))).sort((a, b) => a.contact_id.localeCompare(b.contact_id));
    expect(rows).toEqual([
      { contact_id: 'c1', due_at: new Date(NOW.getTime() + 20 * DAY) },
      { contact_id: 'c2', due_at: new Date(NOW.getTime() + 50 * DAY) },
      { contact_id: 'c4', due_at: new Date(NOW.getTime() + 60 * DAY) },
    ]);
  });
});
