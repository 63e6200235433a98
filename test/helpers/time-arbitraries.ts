import fc from 'fast-check';
import type { Block, Comparison, Condition, Duration, Query, Relation } from '../../src/definition/ast.js';
import { TIME_UNIT_MS } from '../../src/definition/operators.js';
import { DEFAULT_ATTRIBUTES, STANDARD_INTERACTION_TYPES } from '../../src/schema/defaults.js';
import { SchemaRegistry } from '../../src/schema/registry.js';
import type { AttributeDef } from '../../src/schema/types.js';
import { INTERACTION_ATTRS, conditionArb, dataSetArb, pools, queryArb, type QueryOptions } from '../reference/arbitraries.js';
import type { DataSet } from './seed.js';

/**
 * Generators for the next-change tests: the differential arbitraries, plus a datetime
 * interaction property (`sent_at`) and blocks built from the operators that depend on `now`
 * (in_last, not_in_last, in_month "current"), which plain random definitions rarely draw.
 */

export const SENT_AT: AttributeDef = { entity: 'interaction', name: 'sent_at', type: 'datetime', queryable: true, builtin: false };

/** The default schema plus `sent_at` (an engine gets it with addAttribute). */
export const timedRegistry = new SchemaRegistry({
  attributes: [...DEFAULT_ATTRIBUTES, SENT_AT],
  interactionTypes: [...STANDARD_INTERACTION_TYPES],
});

const MAX_INTERACTIONS = 80;

/** dataSetArb, with a `sent_at` (often null) on every interaction. */
export function timedDataSetArb(now: Date): fc.Arbitrary<DataSet> {
  const sentAt = fc.option(pools(now).datetime, { nil: null, freq: 3 });
  return fc
    .tuple(dataSetArb(now), fc.array(sentAt, { minLength: MAX_INTERACTIONS, maxLength: MAX_INTERACTIONS }))
    .map(([data, sent]) => ({ ...data, interactions: (data.interactions ?? []).map((i, k) => ({ ...i, sent_at: sent[k] ?? null })) }));
}

const durationArb = fc.constantFrom<Duration>(
  { amount: 1, unit: 'days' },
  { amount: 7, unit: 'days' },
  { amount: 30, unit: 'days' },
  { amount: 1, unit: 'hours' },
  { amount: 1, unit: 'minutes' },
);

function relativeArb(attrs: readonly string[]): fc.Arbitrary<Comparison> {
  return fc.oneof(
    fc.record({ attr: fc.constantFrom(...attrs), op: fc.constantFrom<Comparison['op']>('in_last', 'not_in_last'), value: durationArb }),
    fc.record({ attr: fc.constantFrom(...attrs), op: fc.constant<Comparison['op']>('in_month'), value: fc.constant('current') }),
  );
}

/** A relative comparison, alone, negated or beside an ordinary condition. */
function relativeConditionArb(attrs: readonly string[], other: fc.Arbitrary<Condition>): fc.Arbitrary<Condition> {
  const rel = relativeArb(attrs);
  return fc.oneof(
    { weight: 2, arbitrary: rel },
    { weight: 1, arbitrary: rel.map((c): Condition => ({ not: c })) },
    { weight: 1, arbitrary: fc.tuple(rel, other).map(([a, b]): Condition => ({ any: [a, b] })) },
    { weight: 1, arbitrary: fc.tuple(rel, other).map(([a, b]): Condition => ({ all: [b, a] })) },
  );
}

function timedBlockArb(now: Date): fc.Arbitrary<Block> {
  const p = pools(now);
  const profile = relativeConditionArb(['birthdate', 'created_at', 'account.created_at'], conditionArb([{ attr: 'state', type: 'string' }], p, 0)).map(
    (where): Block => ({ kind: 'profile', where }),
  );
  const behavioral = fc
    .record({
      interaction: fc.constantFrom('email_open', 'email_click'),
      where: relativeConditionArb(['sent_at'], conditionArb(INTERACTION_ATTRS, p, 0)),
      window: fc.option(
        fc.oneof(
          durationArb.map((last) => ({ last })),
          // Relative to now (SPEC §5.5): the longer of two distinct durations is `from_ago`.
          fc
            .uniqueArray(durationArb, { minLength: 2, maxLength: 2, selector: (d) => d.amount * TIME_UNIT_MS[d.unit] })
            .map(([a, b]) => (a!.amount * TIME_UNIT_MS[a!.unit] > b!.amount * TIME_UNIT_MS[b!.unit] ? { from_ago: a!, to_ago: b! } : { from_ago: b!, to_ago: a! })),
          fc.constant({ from: new Date(now.getTime() - 10 * 86_400_000).toISOString(), to: new Date(now.getTime() + 86_400_000).toISOString() }),
        ),
        { nil: undefined },
      ),
      count: fc.option(fc.record({ op: fc.constantFrom('gte' as const, 'lt' as const), value: fc.integer({ min: 1, max: 2 }) }), { nil: undefined }),
    })
    .map(({ interaction, where, window, count }): Block => ({ kind: 'behavioral', interaction, where, ...(window ? { window } : {}), ...(count ? { count } : {}) }));
  return fc.oneof(profile, behavioral);
}

/** queryArb, often with blocks on relative dates and time-dependent interaction filters mixed in. */
export function timedQueryArb(now: Date, opts: QueryOptions): fc.Arbitrary<Query> {
  const relation = fc.constantFrom<Relation>('or', 'and_also', 'but_not');
  const mixed = fc
    .tuple(queryArb(now, opts), fc.array(fc.tuple(relation, timedBlockArb(now)), { minLength: 1, maxLength: 3 }), fc.boolean())
    .map(([q, extra, first]): Query => {
      const added = extra.map(([r, b]): Block => ({ ...b, relation: r }));
      if (!first) return { blocks: [...q.blocks, ...added] };
      // Lead with a timed block: the original first block now needs a relation.
      const [head, ...rest] = added.map((b) => ({ ...b }));
      delete head!.relation;
      return { blocks: [head!, ...rest, ...q.blocks.map((b, i): Block => (i === 0 ? { ...b, relation: 'or' } : b))] };
    });
  return fc.oneof(queryArb(now, opts), mixed);
}

/** Evaluation instants near `now`: on, just before and after a month start, and a few days around. */
export function evaluationInstantArb(now: Date): fc.Arbitrary<number> {
  const t = now.getTime();
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return fc.oneof(
    fc.constantFrom(t, monthStart, monthStart - 1, monthStart + 1, t - 86_400_000, t - 15 * 86_400_000),
    fc.integer({ min: -3 * 86_400, max: 3 * 86_400 }).map((s) => t + s * 1000),
  );
}
