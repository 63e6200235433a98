import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Block, Comparison, Condition, Operator, SegmentDefinition } from '../../../src/definition/ast.js';
import { OPERATORS, valueShape } from '../../../src/definition/operators.js';
import {
  addBlock,
  conditionFromGroup,
  defaultValue,
  fromDefinition,
  groupFromCondition,
  hasIncompleteBlock,
  isIncompleteValue,
  moveBlock,
  newBlock,
  placeIssue,
  removeBlock,
  slugify,
  toDefinition,
  valueForOperator,
  type BlockState,
  type DesignerState,
} from './model';

const roundTrip = (def: SegmentDefinition): SegmentDefinition => toDefinition(fromDefinition(def));

/** Strip the editor-only keys and ids, to compare two states. */
const withoutIds = (s: DesignerState): unknown =>
  JSON.parse(JSON.stringify(s, (k, v: unknown) => (k === 'key' || k === 'id' ? undefined : v)));

const dyn = (blocks: Block[]): SegmentDefinition => ({ id: 'x', name: 'X', type: 'dynamic', query: { blocks } });

const DEFAULTS = { field: 'state', fieldType: 'string', interaction: 'email_open', segment: 'a' } as const;

/** A value of the right shape for each operator. */
function sampleValue(op: Operator): Comparison['value'] {
  switch (valueShape(op)) {
    case 'none':
      return undefined;
    case 'scalar':
      return op === 'before' || op === 'after' ? '2024-05-31' : op === 'contains' ? 'soft' : 42;
    case 'pair':
      return [10, 20];
    case 'list':
      return ['AZ', 'CA'];
    case 'duration':
      return { amount: 30, unit: 'days' };
    case 'month':
      return 5;
  }
}

describe('definition ↔ designer state', () => {
  it('round-trips the SPEC §2 example exactly (and keeps its key order)', () => {
    const def: SegmentDefinition = {
      id: 'az-software-openers',
      name: 'Arizona software people who opened an email',
      description: 'optional',
      type: 'dynamic',
      query: {
        blocks: [
          {
            kind: 'profile',
            where: {
              all: [
                { attr: 'state', op: 'eq', value: 'AZ' },
                { attr: 'account.industry', op: 'eq', value: 'Software' },
              ],
            },
          },
          { relation: 'and_also', kind: 'behavioral', interaction: 'email_open', window: { last: { amount: 30, unit: 'days' } }, count: { op: 'gte', value: 1 } },
          { relation: 'but_not', kind: 'segment', segment: 'unsubscribed' },
        ],
      },
    };
    expect(roundTrip(def)).toEqual(def);
    expect(JSON.stringify(roundTrip(def))).toBe(JSON.stringify(def));
  });

  it('round-trips a profile block with a bare comparison', () => {
    const def = dyn([{ kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } }]);
    expect(roundTrip(def)).toEqual(def);
  });

  it('round-trips behavioral blocks: bare, with where, last window, from-to window, relative window, count', () => {
    const def = dyn([
      { kind: 'behavioral', interaction: 'email_open' },
      { relation: 'or', kind: 'behavioral', interaction: 'email_click', where: { attr: 'link_url', op: 'contains', value: 'pricing' } },
      { relation: 'and_also', kind: 'behavioral', interaction: 'website_visit', window: { last: { amount: 2, unit: 'weeks' } } },
      { relation: 'but_not', kind: 'behavioral', interaction: 'form_submit', window: { from: '2024-01-01', to: '2024-03-31T23:59:59Z' }, count: { op: 'eq', value: 0 } },
      { relation: 'and_also', kind: 'behavioral', interaction: 'email_open', window: { from_ago: { amount: 90, unit: 'days' }, to_ago: { amount: 30, unit: 'days' } } },
      {
        relation: 'or',
        kind: 'behavioral',
        interaction: 'email_open',
        where: { any: [{ attr: 'campaign_id', op: 'in', value: ['c1', 'c2'] }, { not: { attr: 'email_id', op: 'is_empty' } }] },
        window: { last: { amount: 90, unit: 'minutes' } },
        count: { op: 'gte', value: 3 },
      },
    ]);
    expect(roundTrip(def)).toEqual(def);
  });

  it('round-trips segment blocks and a compound segment', () => {
    const def: SegmentDefinition = {
      id: 'c',
      name: 'C',
      type: 'compound',
      query: { blocks: [{ kind: 'segment', segment: 'a' }, { relation: 'but_not', kind: 'segment', segment: 'b' }] },
    };
    expect(roundTrip(def)).toEqual(def);
  });

  it('round-trips nested group blocks', () => {
    const def = dyn([
      { kind: 'segment', segment: 'a' },
      {
        relation: 'and_also',
        kind: 'group',
        blocks: [
          { kind: 'profile', where: { attr: 'score', op: 'gte', value: 50 } },
          { relation: 'or', kind: 'group', blocks: [{ kind: 'behavioral', interaction: 'email_open' }, { relation: 'but_not', kind: 'segment', segment: 'b' }] },
        ],
      },
    ]);
    expect(roundTrip(def)).toEqual(def);
  });

  it.each(['or', 'and_also', 'but_not'] as const)('round-trips the relation %s', (relation) => {
    const def = dyn([{ kind: 'segment', segment: 'a' }, { relation, kind: 'segment', segment: 'b' }]);
    expect(roundTrip(def)).toEqual(def);
  });

  it.each(OPERATORS.map((op) => [op]))('round-trips the operator %s with a value of its shape', (op) => {
    const value = sampleValue(op);
    const cmp: Comparison = { attr: 'created_at', op, ...(value !== undefined ? { value } : {}) };
    const def = dyn([{ kind: 'profile', where: { all: [cmp] } }]);
    const back = roundTrip(def);
    expect(back).toEqual(def);
    // an absent value stays absent (no `value: undefined` key in the JSON)
    const where = back.query?.blocks[0]?.kind === 'profile' ? back.query.blocks[0].where : undefined;
    expect(where && 'all' in where ? 'value' in (where.all[0] as Comparison) : undefined).toBe(value !== undefined);
  });

  it('keeps {not: x} and {not: {all: [x]}} apart, and maps all/any/not onto the rule group', () => {
    const x: Condition = { attr: 'state', op: 'eq', value: 'AZ' };
    const g1 = groupFromCondition({ not: x });
    const g2 = groupFromCondition({ not: { all: [x] } });
    const g3 = groupFromCondition({ any: [x, { not: { not: x } }] });
    expect(g1.not).toBe(true);
    expect(g2).toMatchObject({ not: true, combinator: 'and', rules: [{ field: 'state', operator: 'eq', value: 'AZ' }] });
    expect(g3.combinator).toBe('or');
    expect(conditionFromGroup(g1)).toEqual({ not: x });
    expect(conditionFromGroup(g2)).toEqual({ not: { all: [x] } });
    expect(conditionFromGroup(g3)).toEqual({ any: [x, { not: { not: x } }] });
  });

  it('round-trips definitions without a query, with members, without id or description', () => {
    const stat: SegmentDefinition = { id: 's', name: 'S', type: 'static', members: ['c1', 'c2'] };
    expect(roundTrip(stat)).toEqual(stat);
    const noId = { name: 'N', type: 'dynamic', query: { blocks: [{ kind: 'segment', segment: 'a' }] } } as unknown as SegmentDefinition;
    expect(roundTrip(noId)).toEqual(noId);
    expect('id' in roundTrip(noId)).toBe(false);
  });

  it('state → definition → state is the same state (ids aside)', () => {
    let s: DesignerState = { name: 'N', type: 'dynamic', hasQuery: true, blocks: [] };
    s = { ...s, blocks: addBlock(s.blocks, null, newBlock('profile', DEFAULTS)) };
    s = { ...s, blocks: addBlock(s.blocks, null, newBlock('behavioral', DEFAULTS)) };
    const group = newBlock('group', DEFAULTS);
    s = { ...s, blocks: addBlock(s.blocks, null, group) };
    s = { ...s, blocks: addBlock(s.blocks, group.key, newBlock('segment', DEFAULTS)) };
    expect(withoutIds(fromDefinition(toDefinition(s)))).toEqual(withoutIds(s));
  });
});

describe('block list edits', () => {
  const list = (): BlockState[] => {
    let b: BlockState[] = [];
    for (const seg of ['a', 'b', 'c']) b = addBlock(b, null, { ...newBlock('segment', DEFAULTS), segment: seg } as BlockState);
    return b;
  };
  const shape = (b: BlockState[]) => b.map((x) => [x.kind === 'segment' ? x.segment : x.kind, x.relation]);

  it('gives every block but the first a relation', () => {
    expect(shape(list())).toEqual([['a', undefined], ['b', 'and_also'], ['c', 'and_also']]);
  });

  it('moves a block with its relation; the block leaving the top takes the arriving one\'s', () => {
    let b = list();
    b = b.map((x, i) => (i === 2 ? { ...x, relation: 'but_not' } : i === 1 ? { ...x, relation: 'or' } : x));
    expect(shape(moveBlock(b, b[2]!.key, -1))).toEqual([['a', undefined], ['c', 'but_not'], ['b', 'or']]);
    expect(shape(moveBlock(b, b[1]!.key, -1))).toEqual([['b', undefined], ['a', 'or'], ['c', 'but_not']]);
    expect(shape(moveBlock(b, b[0]!.key, 1))).toEqual([['b', undefined], ['a', 'or'], ['c', 'but_not']]);
    expect(moveBlock(b, b[0]!.key, -1)).toEqual(b);
  });

  it('removes a block and drops the new first block\'s relation', () => {
    const b = list();
    expect(shape(removeBlock(b, b[0]!.key))).toEqual([['b', undefined], ['c', 'and_also']]);
  });

  it('edits inside group blocks', () => {
    const g = newBlock('group', DEFAULTS);
    let b = addBlock([], null, g);
    b = addBlock(b, g.key, newBlock('segment', DEFAULTS));
    b = addBlock(b, g.key, newBlock('profile', DEFAULTS));
    const inner = (b[0] as Extract<BlockState, { kind: 'group' }>).blocks;
    expect(inner.map((x) => x.relation)).toEqual([undefined, 'and_also']);
    const moved = moveBlock(b, inner[1]!.key, -1);
    expect((moved[0] as Extract<BlockState, { kind: 'group' }>).blocks.map((x) => x.kind)).toEqual(['profile', 'segment']);
  });
});

describe('values, ids and issue paths', () => {
  it('gives each operator a default value of its shape', () => {
    for (const op of OPERATORS) {
      const v = defaultValue(op, 'number');
      const shape = valueShape(op);
      if (shape === 'none') expect(v).toBeUndefined();
      if (shape === 'pair') expect(v).toEqual([0, 0]);
      if (shape === 'list') expect(v).toEqual([]);
      if (shape === 'duration') expect(v).toEqual({ amount: 30, unit: 'days' });
      if (shape === 'month') expect(v).toBe('current');
      if (shape === 'scalar') expect(v).toBe(0);
    }
    expect(valueForOperator('AZ', 'in', 'string')).toEqual(['AZ']);
    expect(valueForOperator('AZ', 'ne', 'string')).toBe('AZ');
    expect(valueForOperator('AZ', 'is_empty', 'string')).toBeUndefined();
  });

  it('slugs names into ids', () => {
    expect(slugify('  Arizona — Software Öpeners! ')).toBe('arizona-software-openers');
    expect(slugify('x'.repeat(100))).toHaveLength(64);
  });

  it('places API issue paths on the block, rule and field they name', () => {
    const s = fromDefinition(
      dyn([
        { kind: 'profile', where: { attr: 'state', op: 'eq', value: 1 } },
        { relation: 'or', kind: 'profile', where: { all: [{ attr: 'a', op: 'eq', value: 1 }, { not: { attr: 'b', op: 'in', value: [] } }] } },
        { relation: 'or', kind: 'group', blocks: [{ kind: 'behavioral', interaction: 'nope' }] },
      ]),
    );
    const b0 = s.blocks[0] as Extract<BlockState, { kind: 'profile' }>;
    const b1 = s.blocks[1] as Extract<BlockState, { kind: 'profile' }>;
    const b2 = s.blocks[2] as Extract<BlockState, { kind: 'group' }>;
    const notGroup = b1.where.rules[1] as { rules: { id: string }[] };
    expect(placeIssue(s, 'body.query.blocks[0].where.value')).toEqual({ kind: 'rule', key: b0.key, id: b0.where.rules[0]!.id, field: 'value' });
    expect(placeIssue(s, 'query.blocks[1].where.all[1].not.value')).toEqual({ kind: 'rule', key: b1.key, id: notGroup.rules[0]!.id, field: 'value' });
    expect(placeIssue(s, 'query.blocks[2].blocks[0].interaction')).toEqual({ kind: 'block', key: b2.blocks[0]!.key, field: 'interaction' });
    expect(placeIssue(s, 'body.name')).toEqual({ kind: 'field', field: 'name' });
    expect(placeIssue(s, 'body.query.blocks')).toEqual({ kind: 'field', field: 'query' });
    expect(placeIssue(s, 'header.if-match')).toEqual({ kind: 'general' });
  });
});

// ---------- property: random valid definitions round-trip ----------

const attr = fc.constantFrom('state', 'score', 'created_at', 'account.industry', 'email_consent');
const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean());
const duration = fc.record({ amount: fc.integer({ min: 1, max: 500 }), unit: fc.constantFrom('minutes', 'hours', 'days', 'weeks' as const) });
const comparison: fc.Arbitrary<Comparison> = fc.tuple(attr, fc.constantFrom(...OPERATORS)).chain(([a, op]) => {
  const shape = valueShape(op);
  const value: fc.Arbitrary<Comparison['value']> =
    shape === 'none'
      ? fc.constant(undefined)
      : shape === 'scalar'
        ? scalar
        : shape === 'pair'
          ? fc.tuple(scalar, scalar)
          : shape === 'list'
            ? fc.array(scalar, { minLength: 1, maxLength: 4 })
            : shape === 'duration'
              ? duration
              : fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant('current'));
  return value.map((v) => (v === undefined ? { attr: a, op } : { attr: a, op, value: v }));
});
const { condition } = fc.letrec<{ condition: Condition }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc.record({ all: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('condition') }),
  ),
}));
const window = fc.oneof(
  fc.record({ last: duration }),
  fc.record({ from: fc.constant('2024-01-01'), to: fc.constant('2024-02-01T00:00:00Z') }),
  fc.record({ from_ago: duration, to_ago: duration }),
);
const count = fc.record({ op: fc.constantFrom('gte', 'gt', 'eq', 'lte', 'lt' as const), value: fc.integer({ min: 0, max: 10 }) });
const relation = fc.constantFrom('or', 'and_also', 'but_not' as const);

const blockBody: fc.Arbitrary<Block> = fc.letrec<{ block: Block }>((tie) => ({
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('profile' as const), where: condition }),
    fc.record(
      { kind: fc.constant('behavioral' as const), interaction: fc.constantFrom('email_open', 'website_visit'), where: condition, window, count },
      { requiredKeys: ['kind', 'interaction'] },
    ),
    fc.record({ kind: fc.constant('segment' as const), segment: fc.constantFrom('a', 'b-2') }),
    fc.array(tie('block'), { minLength: 1, maxLength: 3 }).map((blocks) => ({ kind: 'group' as const, blocks: withRelations(blocks) })),
  ),
})).block;

function withRelations(blocks: Block[], rels: ('or' | 'and_also' | 'but_not')[] = []): Block[] {
  return blocks.map((b, i) => {
    const { relation: _r, ...rest } = b;
    return i === 0 ? (rest as Block) : ({ relation: rels[i] ?? 'or', ...rest } as Block);
  });
}

const definition: fc.Arbitrary<SegmentDefinition> = fc
  .record(
    {
      id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
      name: fc.string({ minLength: 1, maxLength: 30 }),
      description: fc.string({ maxLength: 30 }),
      type: fc.constantFrom('dynamic', 'compound' as const),
      blocks: fc.array(blockBody, { minLength: 1, maxLength: 4 }),
      rels: fc.array(relation, { maxLength: 4 }),
    },
    { requiredKeys: ['id', 'name', 'type', 'blocks', 'rels'] },
  )
  .map(({ blocks, rels, ...head }) => ({ ...head, query: { blocks: withRelations(blocks, rels) } }));

describe('property', () => {
  it('random valid definitions round-trip exactly', () => {
    fc.assert(
      fc.property(definition, (def) => {
        expect(roundTrip(def)).toEqual(def);
        expect(JSON.stringify(roundTrip(def))).toBe(JSON.stringify(JSON.parse(JSON.stringify(def))));
      }),
      { numRuns: 300 },
    );
  });
});

describe('incomplete conditions', () => {
  it('a value the operator needs and nobody typed is incomplete; a typed one, or none needed, is not', () => {
    expect(isIncompleteValue('eq', '')).toBe(true);
    expect(isIncompleteValue('eq', 'AZ')).toBe(false);
    expect(isIncompleteValue('gt', Number.NaN)).toBe(true);
    expect(isIncompleteValue('gt', 0)).toBe(false);
    expect(isIncompleteValue('eq', false)).toBe(false);
    expect(isIncompleteValue('between', [1, ''])).toBe(true);
    expect(isIncompleteValue('between', [1, 5])).toBe(false);
    expect(isIncompleteValue('in', [])).toBe(true);
    expect(isIncompleteValue('in', ['AZ'])).toBe(false);
    expect(isIncompleteValue('in_last', { amount: Number.NaN, unit: 'days' })).toBe(true);
    expect(isIncompleteValue('in_last', { amount: 30, unit: 'days' })).toBe(false);
    expect(isIncompleteValue('is_empty', undefined)).toBe(false);
    expect(isIncompleteValue('in_month', 'current')).toBe(false);
  });

  it('every operator\'s fresh value is incomplete exactly when it is a blank to fill in', () => {
    for (const op of OPERATORS) {
      const shape = valueShape(op);
      const fresh = defaultValue(op, 'string');
      expect(isIncompleteValue(op, fresh), op).toBe(shape === 'scalar' || shape === 'pair' || shape === 'list');
    }
  });

  it('a new profile block (its condition has no value yet) or a segment block with no segment is incomplete, at any depth', () => {
    const d = { field: 'state', fieldType: 'string' as const, interaction: 'email_open', segment: '' };
    const profile = newBlock('profile', d);
    expect(hasIncompleteBlock([profile])).toBe(true);
    const filled = fromDefinition({ id: 'x', name: 'x', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } }] } });
    expect(hasIncompleteBlock(filled.blocks)).toBe(false);
    expect(hasIncompleteBlock([newBlock('behavioral', d)])).toBe(false);
    expect(hasIncompleteBlock([newBlock('segment', d)])).toBe(true);
    const group = newBlock('group', d);
    expect(hasIncompleteBlock(addBlock([group], group.key, newBlock('segment', d)))).toBe(true);
    expect(hasIncompleteBlock(addBlock([group], group.key, filled.blocks[0]!))).toBe(false);
  });
});
