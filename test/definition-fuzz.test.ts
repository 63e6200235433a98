import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block, Comparison, Query, Relation } from '../src/definition/ast.js';
import { DEFINITION_LIMITS } from '../src/definition/limits.js';
import type { Engine } from '../src/engine/engine.js';
import { SegmataError } from '../src/errors.js';
import { TEST_NOW, memoryEngine } from './helpers/engine.js';
import { seed, type DataSet } from './helpers/seed.js';
import { dataSetArb, probeArb, queryArb } from './reference/arbitraries.js';
import { referenceBlockMembers, referenceMembers, type ReferenceData } from './reference/evaluator.js';

/**
 * Definitions of any shape and size, garbage included: validation refuses with
 * `invalid_definition` or accepts, never anything else; and whatever it accepts evaluates
 * (estimate answers; in some runs it is saved and taken live too). A second property holds
 * the compiler's forms for large definitions (long block lists, long in-lists) to the
 * reference evaluator. `SEGMATA_PROPERTY_SEED` replays a reported counterexample.
 */

const NOW = new Date(TEST_NOW);
const seedEnv = process.env.SEGMATA_PROPERTY_SEED;
const replay = seedEnv ? { seed: Number(seedEnv) } : {};

// ---- garbage and edge values -----------------------------------------------------------

/** Values no field expects: wrong types, non-JSON, huge or non-finite numbers, long strings. */
const weird: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withNullPrototype: true, withBoxedValues: true, withSparseArray: true }),
  fc.constantFrom<unknown>(
    Number.NaN, Infinity, -Infinity, -0, 1e300, -1e308, 1e20, 2 ** 53, 2 ** 63, Number.MAX_VALUE, Number.MIN_VALUE, 0.1,
    '', '__proto__', 'constructor', 'prototype', 'toString', 'a\u0000b', 'a\uD800', '\u202e', "'; DROP TABLE contacts; --",
    '0000-01-01', '9999-12-31', '2024-02-30', '2024-06-01T24:00:00Z', '2024-06-01T12:00:00+25:00', '+010000-01-01T00:00:00Z',
    'x'.repeat(DEFINITION_LIMITS.maxStringLength + 1), null, undefined, [], {}, [[[]]],
  ),
  fc.double(),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
);

/** One change to a valid definition: a value replaced, a field dropped, or a key added. */
type Mutation = { at: number } & ({ kind: 'replace'; value: unknown } | { kind: 'edge'; value: unknown } | { kind: 'drop' } | { kind: 'add'; key: string; value: unknown });

/** Values at the edge of what a field holds: most are valid, and must then evaluate. */
const edgeValue = fc.constantFrom<unknown>(
  1e300, -1e308, 2 ** 63, 1e20, -0, 5e-324, Number.MAX_SAFE_INTEGER, '0001-01-01', '9999-12-31', '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z', '2024-06-01T12:00:00+14:00', { amount: 36_525, unit: 'days' }, { amount: 5_217, unit: 'weeks' }, { amount: 52_596_000, unit: 'minutes' },
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ at: fc.nat(), kind: fc.constant('replace' as const), value: weird }),
  fc.record({ at: fc.nat(), kind: fc.constant('edge' as const), value: edgeValue }),
  fc.record({ at: fc.nat(), kind: fc.constant('drop' as const) }),
  fc.record({ at: fc.nat(), kind: fc.constant('add' as const), key: fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', 'value', 'relation', 'blocks', 'not'), value: weird }),
);

/** Apply mutations to a copy of a JSON definition, each at one of its places (object fields and array slots). */
function mutate(def: unknown, mutations: readonly Mutation[]): unknown {
  const root = { def: structuredClone(def) as unknown };
  for (const m of mutations) {
    const places: [Record<string | number, unknown>, string | number][] = [];
    const stack: unknown[] = [root];
    while (stack.length > 0) {
      const node = stack.pop();
      // Only into plain JSON: what an earlier mutation put there (a Map, a Date...) stays whole.
      if (typeof node !== 'object' || node === null) continue;
      const proto = Object.getPrototypeOf(node) as unknown;
      if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) continue;
      const keys: (string | number)[] = Array.isArray(node) ? Array.from({ length: node.length }, (_, i) => i) : Object.keys(node);
      for (const k of keys) {
        places.push([node as Record<string | number, unknown>, k]);
        stack.push((node as Record<string | number, unknown>)[k]);
      }
    }
    if (places.length === 0) break; // the whole definition was dropped
    // Edge values go where values are: comparison values, counts, durations.
    const values = places.filter(([, k]) => k === 'value' || k === 'amount' || k === 'last');
    const [parent, key] = m.kind === 'edge' && values.length > 0 ? values[m.at % values.length]! : places[m.at % places.length]!;
    if (m.kind === 'replace' || m.kind === 'edge') parent[key] = m.value;
    else if (m.kind === 'drop') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else {
      const target = parent[key];
      // An own key, as JSON.parse makes of a body's "__proto__" (an assignment would set the prototype).
      if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
        Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      }
    }
  }
  return root.def;
}

/** Comparisons whose values sit at the edge of their type (numbers past 64 bits, years 0001 and 9999, 100 years). */
const edgeComparisonArb: fc.Arbitrary<Comparison> = fc.oneof<fc.Arbitrary<object>[]>(
  fc.record({
    attr: fc.constantFrom('score', 'account.employees'),
    op: fc.constantFrom<Comparison['op']>('eq', 'ne', 'lt', 'gte'),
    value: fc.constantFrom(1e300, -1e308, 2 ** 63, -(2 ** 63) - 4096, 1e20, 5e-324, -0, Number.MAX_VALUE),
  }),
  fc.record({ attr: fc.constant('score'), op: fc.constant<Comparison['op']>('between'), value: fc.constantFrom([-1e308, 1e300], [2 ** 64, 2 ** 65], [-1, 1e20]) }),
  fc.record({ attr: fc.constant('score'), op: fc.constantFrom<Comparison['op']>('in', 'not_in'), value: fc.constantFrom([1e300, 0.5], [-1e308, 2 ** 63, 10]) }),
  fc.record({
    attr: fc.constantFrom('created_at', 'birthdate', 'account.created_at'),
    op: fc.constantFrom<Comparison['op']>('before', 'after', 'eq'),
    value: fc.constantFrom('0001-01-01', '9999-12-31', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '0001-01-01T13:00:00+13:00'),
  }),
  fc.record({ attr: fc.constantFrom('created_at', 'birthdate'), op: fc.constantFrom<Comparison['op']>('in_last', 'not_in_last'), value: fc.constantFrom({ amount: 36_525, unit: 'days' as const }, { amount: 52_596_000, unit: 'minutes' as const }) }),
).map((c) => c as Comparison);

const validArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: queryArb(NOW, { segments: ['fuzz-static'], depth: 2 }).map((query) => ({ name: 'fuzz', type: 'dynamic', query })) },
  { weight: 2, arbitrary: fc.array(edgeComparisonArb, { minLength: 1, maxLength: 3 }).map((all) => ({ name: 'fuzz', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { any: all } }] } })) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>({ name: 'fuzz', type: 'compound', query: { blocks: [{ kind: 'segment', segment: 'fuzz-static' }] } }, { name: 'fuzz', type: 'static', members: ['c0', 'c1'] }) },
);

const relationArb = fc.constantFrom<Relation>('or', 'and_also', 'but_not');

/** Nested past the depth limit, or wide past the size limit: built directly, not shrunk. */
const hugeArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 30, max: 200 }).map((n) => {
    let where: unknown = { attr: 'state', op: 'is_empty' };
    for (let i = 0; i < n; i++) where = i % 3 === 0 ? { not: where } : { [i % 2 ? 'all' : 'any']: [where] };
    return { name: 'deep', type: 'dynamic', query: { blocks: [{ kind: 'profile', where }] } };
  }),
  fc.integer({ min: 30, max: 200 }).map((n) => {
    let block: unknown = { kind: 'behavioral', interaction: 'email_open' };
    for (let i = 0; i < n; i++) block = { kind: 'group', blocks: [block] };
    return { name: 'deep groups', type: 'dynamic', query: { blocks: [block] } };
  }),
  fc.integer({ min: 990, max: 1_010 }).map((n) => ({
    name: 'wide',
    type: 'dynamic',
    query: { blocks: Array.from({ length: n }, (_, i) => ({ kind: 'segment', segment: 'fuzz-static', ...(i ? { relation: 'or' } : {}) })) },
  })),
);

const definitionArb: fc.Arbitrary<unknown> = fc.oneof(
  // Valid, or valid but for one or two changes anywhere in it.
  { weight: 8, arbitrary: fc.tuple(validArb, fc.array(mutationArb, { maxLength: 2 })).map(([def, mutations]) => mutate(def, mutations)) },
  { weight: 1, arbitrary: hugeArb },
  { weight: 1, arbitrary: weird },
);

// ---- the data ------------------------------------------------------------------------------

/** One small data set for every run, the same each time. */
const DATA: DataSet = fc.sample(dataSetArb(NOW), { seed: 19, numRuns: 1 })[0]!;

describe('definitions of any shape (property)', () => {
  let engine: Engine;
  let runs = 0;
  let accepted = 0;

  beforeAll(async () => {
    engine = await memoryEngine();
    await seed(engine, DATA);
    await engine.segments.create({ id: 'fuzz-static', name: 'fuzz static', type: 'static', members: ['c0', 'c1'].filter((id) => DATA.contacts?.some((c) => c.id === id)) });
  });

  afterAll(async () => {
    await engine?.close();
  });

  it('validation refuses with invalid_definition or accepts, and what it accepts evaluates', async () => {
    await fc.assert(
      fc.asyncProperty(definitionArb, fc.nat(9), async (input, dice) => {
        runs++;
        let estimate;
        try {
          estimate = await engine.segments.estimate(input);
        } catch (e) {
          // The only way to fail: a refusal of the definition, saying where (a static
          // segment's unknown members are invalid_argument, as when they are added later).
          expect(e).toBeInstanceOf(SegmataError);
          const { code, issues } = e as SegmataError;
          if (code === 'invalid_argument') expect(issues.map((i) => i.path)).toContain('members');
          else expect(code).toBe('invalid_definition');
          expect(issues.length).toBeGreaterThan(0);
          return;
        }
        accepted++;
        expect(estimate.total).toBeGreaterThanOrEqual(0);
        // Now and then all the way: what estimate accepts is saved, and goes live.
        if (dice === 0) {
          const saved = await engine.segments.create({ ...(input as object), id: 'fuzz-subject' });
          try {
            if (saved.type !== 'static') expect((await engine.segments.goLive(saved.id)).members).toBe(estimate.total);
          } finally {
            if ((await engine.segments.get(saved.id)).status === 'live') await engine.segments.stop(saved.id);
            await engine.segments.delete(saved.id);
          }
        }
      }),
      { numRuns: 100, ...replay },
    );
    // The generator is not all garbage: a fair share is accepted and evaluated.
    expect(accepted).toBeGreaterThan(runs / 10);
  }, 120_000);
});

// ---- large definitions against the reference ---------------------------------------------

/** 33-48 blocks (past the nested form's limit) with random relations, from the probe blocks. */
const longChainArb: fc.Arbitrary<Query> = fc
  .tuple(fc.array(probeArb(NOW), { minLength: 3, maxLength: 3 }), fc.array(relationArb, { minLength: 48, maxLength: 48 }), fc.integer({ min: 33, max: 48 }), fc.boolean())
  .map(([probes, relations, n, nested]) => {
    const all = probes.flatMap((q) => q.blocks);
    while (all.length < n) all.push(...all);
    const blocks = all.slice(0, n).map((b, i): Block => {
      const { relation: _r, ...rest } = b;
      return i === 0 ? rest : { ...rest, relation: relations[i]! };
    });
    // Also as a group inside a short list (the flat form as a subquery).
    if (!nested) return { blocks };
    return { blocks: [{ kind: 'group', blocks }, { relation: 'but_not', kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } }] };
  });

/** `in` / `not_in` lists of 65-200 values (bound as one parameter), from the data's own values. */
const longListArb: fc.Arbitrary<Query> = fc
  .tuple(
    fc.constantFrom<Comparison['op']>('in', 'not_in'),
    fc.constantFrom('state', 'city', 'score', 'account.industry'),
    fc.integer({ min: 65, max: 200 }),
    fc.boolean(),
  )
  .map(([op, attr, n, negate]) => {
    const pool = attr === 'score' ? [-1, 0, 0.5, 1, 10, 49.5, 50, 100, 1e300] : ['AZ', 'az', 'Phoenix', 'São Paulo', 'Software', '', "O'Hare", '%', 'a_b', '"', '\\'];
    const value = Array.from({ length: n }, (_, i) => (i < pool.length ? pool[i]! : attr === 'score' ? 1000 + i : `filler ${i}`));
    const where = { attr, op, value } as Comparison;
    return { blocks: [{ kind: 'profile', where: negate ? { not: where } : where }] };
  });

describe('large definitions ≡ reference (property)', () => {
  let engine: Engine;
  const refData: ReferenceData = { contacts: DATA.contacts ?? [], accounts: DATA.accounts ?? [], interactions: DATA.interactions ?? [] };

  beforeAll(async () => {
    engine = await memoryEngine();
    await seed(engine, DATA);
  });

  afterAll(async () => {
    await engine?.close();
  });

  it('long block lists and long in-lists give the reference evaluator\'s members', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(longChainArb, longListArb), async (query) => {
        const estimate = await engine.segments.estimate({ name: 'large', type: 'dynamic', query });
        const ctx = { now: NOW };
        expect({ total: estimate.total, blocks: estimate.blocks.map((b) => b.count) }).toEqual({
          total: referenceMembers(query, refData, ctx).size,
          blocks: referenceBlockMembers(query, refData, ctx).map((s) => s.size),
        });
      }),
      { numRuns: 15, ...replay },
    );
  }, 120_000);
});
