import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCounts, compileSegment, type CompileContext, type SegmentSource } from '../src/compiler/compile.js';
import { duckdbDialect } from '../src/compiler/dialects/duckdb/dialect.js';
import type { Block, Condition, Query } from '../src/definition/ast.js';
import type { Engine } from '../src/engine/engine.js';
import { SegmataError } from '../src/errors.js';
import { DEFAULT_ATTRIBUTES, RELATIONS, STANDARD_INTERACTION_TYPES, TABLES } from '../src/schema/defaults.js';
import { SchemaRegistry } from '../src/schema/registry.js';
import { TEST_NOW, memoryEngine } from './helpers/engine.js';
import { evaluate, seed } from './helpers/seed.js';

/**
 * The compiled SQL: values only ever travel as bound parameters, identifiers only come
 * from the schema registry, and one statement comes out per evaluation.
 */

const registry = new SchemaRegistry({ attributes: [...DEFAULT_ATTRIBUTES], interactionTypes: [...STANDARD_INTERACTION_TYPES] });
const NOW = new Date(TEST_NOW);
const EVIL = "'; DROP TABLE contacts; --";

function context(sources: Record<string, SegmentSource> = {}): CompileContext {
  return {
    registry,
    dialect: duckdbDialect,
    now: NOW,
    segmentSource: (id) => {
      const s = sources[id];
      if (!s) throw new SegmataError('evaluation_failed', `segment "${id}" does not exist`);
      return s;
    },
  };
}

const profile = (where: Condition, relation?: Block['relation']): Block => ({ kind: 'profile', where, ...(relation ? { relation } : {}) });

/** A query putting `EVIL` (and other distinctive values) in every place a value can go. */
const EVERY_VALUE_POSITION: Query = {
  blocks: [
    profile({
      any: [
        { attr: 'city', op: 'eq', value: EVIL },
        { attr: 'city', op: 'ne', value: EVIL },
        { attr: 'city', op: 'lt', value: EVIL },
        { attr: 'city', op: 'between', value: [EVIL, `${EVIL}z`] },
        { attr: 'city', op: 'in', value: ['x', EVIL] },
        { attr: 'city', op: 'not_in', value: [EVIL] },
        { attr: 'city', op: 'contains', value: EVIL },
        { attr: 'city', op: 'not_contains', value: EVIL },
        { attr: 'city', op: 'starts_with', value: EVIL },
        { attr: 'city', op: 'ends_with', value: EVIL },
        { attr: 'account.industry', op: 'eq', value: EVIL },
        { not: { attr: 'score', op: 'eq', value: 987654.25 } },
        { attr: 'email_consent', op: 'eq', value: true },
        { attr: 'birthdate', op: 'before', value: '1977-03-04' },
        { attr: 'created_at', op: 'in_last', value: { amount: 4321, unit: 'minutes' } },
        { attr: 'created_at', op: 'in_month', value: 11 },
      ],
    }),
    {
      relation: 'and_also',
      kind: 'behavioral',
      interaction: 'email_click',
      where: { attr: 'link_url', op: 'contains', value: EVIL },
      window: { from: '2023-02-03T04:05:06Z', to: '2023-09-08T07:06:05Z' },
      count: { op: 'gte', value: 876 },
    },
    { relation: 'but_not', kind: 'segment', segment: 'vip-list' },
  ],
};

/** Every `$n` placeholder in the SQL, as numbers. */
const placeholders = (sql: string): number[] => [...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));

describe('compiled SQL', () => {
  const compiled = compileSegment(EVERY_VALUE_POSITION, context({ 'vip-list': { kind: 'members' } }));

  it('never carries a value in its text', () => {
    expect(compiled.sql).not.toContain(EVIL);
    expect(compiled.sql).not.toContain('DROP');
    for (const fragment of ['987654', '1977', '4321', '2023', '876', 'email_click', 'vip-list']) {
      expect(compiled.sql).not.toContain(fragment);
    }
  });

  it('binds every value as a parameter instead', () => {
    expect(compiled.params).toEqual(
      expect.arrayContaining([
        EVIL,
        `${EVIL}z`,
        987654.25,
        true,
        '1977-03-04T00:00:00.000Z',
        '2024-05-29T11:59:00.000Z', // now - 4321 minutes
        11,
        'email_click',
        '2023-02-03T04:05:06.000Z',
        '2023-09-08T07:06:05.000Z',
        876,
        'vip-list',
        '2024-06-01T12:00:00.000Z', // interactions after now are not counted
      ]),
    );
  });

  it('uses each placeholder $1..$n, every parameter exactly in range', () => {
    const used = new Set(placeholders(compiled.sql));
    expect([...used].sort((a, b) => a - b)).toEqual(compiled.params.map((_, i) => i + 1));
  });

  it('quotes only identifiers from the schema registry', () => {
    const allowed = new Set<string>([
      ...Object.values(TABLES),
      ...registry.snapshot().attributes.map((a) => a.name),
      ...RELATIONS.map((r) => r.via),
    ]);
    const quoted = [...compiled.sql.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!);
    expect(quoted.length).toBeGreaterThan(0);
    for (const name of quoted) expect(allowed).toContain(name);
  });

  it('is one statement', () => {
    expect(compiled.sql).not.toContain(';');
    const counts = compileCounts(EVERY_VALUE_POSITION, context({ 'vip-list': { kind: 'members' } }));
    expect(counts.sql).not.toContain(';');
    expect(counts.sql).toMatch(/AS total, .* AS b0, .* AS b1, .* AS b2$/);
  });

  it('reads a maintained segment from the stored memberships, by parameter', () => {
    const q = compileSegment({ blocks: [{ kind: 'segment', segment: 'vip-list' }] }, context({ 'vip-list': { kind: 'members' } }));
    expect(q.sql).toMatch(/FROM memberships WHERE segment_id = \$1/);
    expect(q.params).toEqual(['vip-list']);
  });

  it('inlines a segment whose membership is not maintained', () => {
    const q = compileSegment(
      { blocks: [{ kind: 'segment', segment: 'draft' }] },
      context({ draft: { kind: 'inline', query: { blocks: [profile({ attr: 'state', op: 'eq', value: 'AZ' })] } } }),
    );
    expect(q.sql).not.toContain('memberships');
    expect(q.sql).toContain('"state"');
    expect(q.params).toEqual(['AZ']);
  });

  it('refuses a reference cycle met while inlining', () => {
    const loop: Query = { blocks: [{ kind: 'segment', segment: 'a' }] };
    const sources: Record<string, SegmentSource> = {
      a: { kind: 'inline', query: { blocks: [{ kind: 'segment', segment: 'b' }] } },
      b: { kind: 'inline', query: loop },
    };
    expect(() => compileSegment(loop, context(sources))).toThrow(expect.objectContaining({ code: 'evaluation_failed', message: expect.stringContaining('a → b → a') }));
  });
});

describe('injection through identifiers', () => {
  const attr = 'state" = \'\' OR 1=1 OR "state';

  it('an attribute name that is not in the registry is rejected by validation', async () => {
    const engine = await memoryEngine();
    try {
      await expect(
        engine.segments.estimate({ name: 'x', type: 'dynamic', query: { blocks: [profile({ attr, op: 'eq', value: 'AZ' })] } }),
      ).rejects.toMatchObject({ code: 'invalid_definition', issues: [{ path: 'query.blocks[0].where.attr' }] });
      await expect(
        engine.segments.estimate({ name: 'x', type: 'dynamic', query: { blocks: [profile({ attr: `account.${attr}`, op: 'eq', value: 'AZ' })] } }),
      ).rejects.toMatchObject({ issues: [{ path: 'query.blocks[0].where.attr' }] });
      await expect(
        engine.segments.estimate({ name: 'x', type: 'dynamic', query: { blocks: [{ kind: 'behavioral', interaction: "email_open' OR '1'='1" }] } }),
      ).rejects.toMatchObject({ issues: [{ path: 'query.blocks[0].interaction' }] });
    } finally {
      await engine.close();
    }
  });

  it('the compiler itself refuses an attribute the registry does not know', () => {
    expect(() => compileSegment({ blocks: [profile({ attr, op: 'eq', value: 'AZ' })] }, context())).toThrow(SegmataError);
  });

  it('attribute and interaction type names are kept to a safe shape when added', async () => {
    const engine = await memoryEngine();
    try {
      await expect(engine.addAttribute('contact', 'x"; DROP TABLE contacts; --', 'string')).rejects.toMatchObject({ code: 'invalid_schema_change' });
      await expect(engine.addAttribute('contact', 'Tier', 'string')).rejects.toMatchObject({ code: 'invalid_schema_change' });
      await expect(engine.addInteractionType("webinar'); DROP TABLE interactions; --")).rejects.toMatchObject({ code: 'invalid_schema_change' });
      expect(engine.registry.attribute('contact', 'Tier')).toBeUndefined();
    } finally {
      await engine.close();
    }
  });
});

describe('hostile values against a real database', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await memoryEngine();
    await seed(engine, {
      contacts: [
        { id: 'c1', city: EVIL },
        { id: 'c2', city: 'Phoenix' },
        { id: 'c3', city: "50% off_sale\\" },
      ],
      interactions: [{ contact_id: 'c2', type: 'email_click', occurred_at: '2024-05-30T00:00:00Z', link_url: EVIL }],
    });
  });

  afterAll(async () => {
    await engine?.close();
  });

  it('match literally and leave the tables intact', async () => {
    expect(await evaluate(engine, { blocks: [profile({ attr: 'city', op: 'eq', value: EVIL })] })).toEqual(['c1']);
    expect(await evaluate(engine, { blocks: [profile({ attr: 'city', op: 'contains', value: "'; drop" })] })).toEqual(['c1']);
    expect(await evaluate(engine, { blocks: [profile({ attr: 'city', op: 'starts_with', value: '50%' })] })).toEqual(['c3']);
    expect(await evaluate(engine, { blocks: [profile({ attr: 'city', op: 'ends_with', value: '_sale\\' })] })).toEqual(['c3']);
    expect(await evaluate(engine, { blocks: [{ kind: 'behavioral', interaction: 'email_click', where: { attr: 'link_url', op: 'eq', value: EVIL } }] })).toEqual(['c2']);
    const rows = await engine.store.all<{ n: number }>('SELECT count(*) AS n FROM contacts');
    expect(rows[0]!.n).toBe(3);
  });
});
