import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block, Condition } from '../src/definition/ast.js';
import { checkDefinition } from '../src/definition/check.js';
import { parseDefinitionShape } from '../src/definition/parse.js';
import type { Engine } from '../src/engine/engine.js';
import { SegmataError, type Issue } from '../src/errors.js';
import { DEFAULT_ATTRIBUTES, STANDARD_INTERACTION_TYPES } from '../src/schema/defaults.js';
import { SchemaRegistry } from '../src/schema/registry.js';
import { memoryEngine } from './helpers/engine.js';

/**
 * Every validation error kind, with its exact path: first the JSON shape, then the check
 * against the schema registry and the saved segments.
 */

const registry = new SchemaRegistry({
  attributes: [
    ...DEFAULT_ATTRIBUTES,
    { entity: 'contact', name: 'secret', type: 'string', queryable: false, builtin: false },
  ],
  interactionTypes: [...STANDARD_INTERACTION_TYPES, { name: 'hidden_type', queryable: false, builtin: false }],
});

/** Saved segments: `b` reads `c`, `c` reads `a` — so `a` reading `b` closes a cycle. */
const SAVED: Record<string, { type: string; references: string[] }> = {
  known: { type: 'dynamic', references: [] },
  vip: { type: 'static', references: [] },
  b: { type: 'dynamic', references: ['c'] },
  c: { type: 'dynamic', references: ['a'] },
};

/** The issues a definition is rejected with (empty if valid). */
function issuesOf(input: unknown): Issue[] {
  try {
    const shape = parseDefinitionShape(input);
    checkDefinition({ ...shape, id: shape.id ?? 'a' }, { registry, segments: (id) => SAVED[id] });
    return [];
  } catch (e) {
    if (!(e instanceof SegmataError)) throw e;
    expect(e.code).toBe('invalid_definition');
    return [...e.issues];
  }
}

const dyn = (...blocks: unknown[]): Record<string, unknown> => ({ id: 'a', name: 'test', type: 'dynamic', query: { blocks } });
const prof = (where: unknown): Record<string, unknown> => dyn({ kind: 'profile', where });
const cmp = (attr: string, op: string, value?: unknown): Condition =>
  (value === undefined ? { attr, op } : { attr, op, value }) as Condition;
const behavioral = (extra: Record<string, unknown>): Record<string, unknown> => dyn({ kind: 'behavioral', interaction: 'email_open', ...extra });

describe('valid definitions pass', () => {
  it('the SPEC example', () => {
    expect(
      issuesOf({
        id: 'az-software-openers',
        name: 'Arizona software people who opened an email',
        type: 'dynamic',
        query: {
          blocks: [
            { kind: 'profile', where: { all: [cmp('state', 'eq', 'AZ'), cmp('account.industry', 'eq', 'Software')] } },
            { relation: 'and_also', kind: 'behavioral', interaction: 'email_open', window: { last: { amount: 30, unit: 'days' } }, count: { op: 'gte', value: 1 } },
            { relation: 'but_not', kind: 'segment', segment: 'known' },
          ],
        },
      }),
    ).toEqual([]);
  });
});

describe('shape (JSON schema)', () => {
  it('unknown operator', () => {
    const issues = issuesOf(prof({ all: [cmp('state', 'equals', 'AZ')] }));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('query.blocks[0].where.all[0].op');
    expect(issues[0]!.message).toMatch(/^unknown operator "equals" \(expected one of: eq, ne, lt, .*in_month\)$/);
  });

  it('the error message reads "path: reason"', () => {
    const err = (() => {
      try {
        parseDefinitionShape(prof({ all: [cmp('state', 'equals', 'AZ')] }));
      } catch (e) {
        return e as SegmataError;
      }
      throw new Error('expected a rejection');
    })();
    expect(err.message).toContain('query.blocks[0].where.all[0].op: unknown operator "equals"');
  });

  it.each<[string, unknown, Issue]>([
    ['unknown field on a comparison', prof({ attr: 'state', op: 'eq', value: 'AZ', extra: 1 }), { path: 'query.blocks[0].where.extra', message: 'unknown field "extra"' }],
    ['unknown top-level field', { name: 'x', type: 'dynamic', owner: 'me', query: { blocks: [{ kind: 'profile', where: cmp('state', 'is_empty') }] } }, { path: 'owner', message: 'unknown field "owner"' }],
    ['missing name', { type: 'dynamic', query: { blocks: [{ kind: 'profile', where: cmp('state', 'is_empty') }] } }, { path: 'name', message: 'required field "name" is missing' }],
    ['empty name', { name: '', type: 'static' }, { path: 'name', message: 'must not be empty' }],
    ['unknown segment type', { name: 'x', type: 'smart' }, { path: 'type', message: 'unknown value "smart" (expected one of: dynamic, static, compound)' }],
    ['bad id', { id: 'Bad Id', name: 'x', type: 'static' }, { path: 'id', message: '"Bad Id" does not match ^[a-z0-9][a-z0-9-]{0,63}$' }],
    ['no blocks', { name: 'x', type: 'dynamic', query: { blocks: [] } }, { path: 'query.blocks', message: 'must have at least 1 item(s)' }],
    ['unknown block kind', dyn({ kind: 'cohort' }), { path: 'query.blocks[0].kind', message: 'unknown block kind "cohort" (expected one of: profile, behavioral, segment, group)' }],
    ['profile block without where', dyn({ kind: 'profile' }), { path: 'query.blocks[0].where', message: 'required field "where" is missing' }],
    ['behavioral block without interaction', dyn({ kind: 'behavioral' }), { path: 'query.blocks[0].interaction', message: 'required field "interaction" is missing' }],
    ['segment block without segment', dyn({ kind: 'segment' }), { path: 'query.blocks[0].segment', message: 'required field "segment" is missing' }],
    ['empty group', dyn({ kind: 'group', blocks: [] }), { path: 'query.blocks[0].blocks', message: 'must have at least 1 item(s)' }],
    ['empty all', prof({ all: [] }), { path: 'query.blocks[0].where.all', message: 'must have at least 1 item(s)' }],
    ['comparison without op', prof({ attr: 'state' }), { path: 'query.blocks[0].where.op', message: 'required field "op" is missing' }],
    ['empty attr', prof({ attr: '', op: 'is_empty' }), { path: 'query.blocks[0].where.attr', message: 'must not be empty' }],
    ['unknown relation', dyn({ kind: 'profile', where: cmp('state', 'is_empty') }, { relation: 'and', kind: 'profile', where: cmp('state', 'is_empty') }), { path: 'query.blocks[1].relation', message: 'unknown value "and" (expected one of: or, and_also, but_not)' }],
    ['count value not an integer', behavioral({ count: { op: 'gte', value: '3' } }), { path: 'query.blocks[0].count.value', message: 'must be an integer, got "3"' }],
    ['negative count', behavioral({ count: { op: 'gte', value: -1 } }), { path: 'query.blocks[0].count.value', message: 'must be at least 0, got -1' }],
    ['unknown count operator', behavioral({ count: { op: 'ge', value: 1 } }), { path: 'query.blocks[0].count.op', message: 'unknown operator "ge" (expected one of: gte, gt, eq, lte, lt)' }],
    ['window amount below 1', behavioral({ window: { last: { amount: 0, unit: 'days' } } }), { path: 'query.blocks[0].window.last.amount', message: 'must be at least 1, got 0' }],
    ['window unit unknown', behavioral({ window: { last: { amount: 3, unit: 'months' } } }), { path: 'query.blocks[0].window.last.unit', message: 'unknown value "months" (expected one of: minutes, hours, days, weeks)' }],
    ['window with from but no to', behavioral({ window: { from: '2024-01-01' } }), { path: 'query.blocks[0].window.to', message: 'required field "to" is missing' }],
  ])('%s', (_title, input, expected) => {
    expect(issuesOf(input)).toEqual([expected]);
  });

  it('a value that is not an object at all', () => {
    expect(issuesOf('not a definition')).toEqual([{ path: '', message: 'must be a object, got "not a definition"' }]);
  });
});

describe('attributes and operators (schema registry)', () => {
  it.each<[string, Condition, Issue]>([
    ['unknown relation in a path', cmp('company.name', 'eq', 'x'), { path: 'query.blocks[0].where.attr', message: '"company" is not a relation of contact' }],
    ['attribute not queryable', cmp('secret', 'eq', 'x'), { path: 'query.blocks[0].where.attr', message: 'attribute "secret" is not queryable (mark it queryable in the schema)' }],
    ['operator not valid for a number', cmp('score', 'contains', 'x'), { path: 'query.blocks[0].where.op', message: 'operator "contains" does not apply to number attribute "score" (use one of: eq, ne, lt, lte, gt, gte, between, in, not_in, is_empty, is_not_empty)' }],
    ['operator not valid for a boolean', cmp('email_consent', 'lt', true), { path: 'query.blocks[0].where.op', message: 'operator "lt" does not apply to boolean attribute "email_consent" (use one of: eq, ne, is_empty, is_not_empty)' }],
    ['in_last on a string', cmp('state', 'in_last', { amount: 1, unit: 'days' }), { path: 'query.blocks[0].where.op', message: expect.stringMatching(/^operator "in_last" does not apply to string attribute "state"/) as unknown as string }],
    ['in on a date', cmp('birthdate', 'in', ['2024-01-01']), { path: 'query.blocks[0].where.op', message: expect.stringMatching(/^operator "in" does not apply to date attribute "birthdate"/) as unknown as string }],
    ['a string where a number is due', cmp('score', 'eq', 'high'), { path: 'query.blocks[0].where.value', message: 'expected a number for a number attribute, got "high"' }],
    ['a number where a string is due', cmp('state', 'eq', 5), { path: 'query.blocks[0].where.value', message: 'expected a string for a string attribute, got 5' }],
    ['a string where a boolean is due', cmp('email_consent', 'eq', 'yes'), { path: 'query.blocks[0].where.value', message: 'expected true or false for a boolean attribute, got "yes"' }],
    ['not a date', cmp('birthdate', 'before', 'yesterday'), { path: 'query.blocks[0].where.value', message: 'expected an ISO 8601 date (2024-05-31) or date-time with zone (2024-05-31T12:00:00Z) for a date attribute, got "yesterday"' }],
    ['an impossible date', cmp('birthdate', 'eq', '2024-02-30'), { path: 'query.blocks[0].where.value', message: 'expected an ISO 8601 date (2024-05-31) or date-time with zone (2024-05-31T12:00:00Z) for a date attribute, got "2024-02-30"' }],
    ['a date-time without a zone', cmp('created_at', 'after', '2024-06-01T12:00:00'), { path: 'query.blocks[0].where.value', message: 'expected an ISO 8601 date (2024-05-31) or date-time with zone (2024-05-31T12:00:00Z) for a datetime attribute, got "2024-06-01T12:00:00"' }],
    ['a missing value', cmp('state', 'eq'), { path: 'query.blocks[0].where.value', message: 'operator "eq" needs a value' }],
    ['a value where none is taken', cmp('state', 'is_empty', 'x'), { path: 'query.blocks[0].where.value', message: 'operator "is_empty" takes no value' }],
    ['between without a pair', cmp('score', 'between', 5), { path: 'query.blocks[0].where.value', message: 'operator "between" needs [low, high], got 5' }],
    ['between with one bound', cmp('score', 'between', [1]), { path: 'query.blocks[0].where.value', message: 'operator "between" needs [low, high], got [1]' }],
    ['between with a bad bound', cmp('score', 'between', [1, 'x']), { path: 'query.blocks[0].where.value[1]', message: 'expected a number for a number attribute, got "x"' }],
    ['in with an empty list', cmp('state', 'in', []), { path: 'query.blocks[0].where.value', message: 'operator "in" needs a non-empty array of values, got []' }],
    ['in with a scalar', cmp('state', 'not_in', 'AZ'), { path: 'query.blocks[0].where.value', message: 'operator "not_in" needs a non-empty array of values, got "AZ"' }],
    ['in with a bad element', cmp('state', 'in', ['AZ', 2]), { path: 'query.blocks[0].where.value[1]', message: 'expected a string for a string attribute, got 2' }],
    ['in_last with amount 0', cmp('created_at', 'in_last', { amount: 0, unit: 'days' }), { path: 'query.blocks[0].where.value', message: 'operator "in_last" needs { "amount": positive integer, "unit": "minutes"|"hours"|"days"|"weeks" }, got {"amount":0,"unit":"days"}' }],
    ['not_in_last with an unknown unit', cmp('created_at', 'not_in_last', { amount: 2, unit: 'months' }), { path: 'query.blocks[0].where.value', message: 'operator "not_in_last" needs { "amount": positive integer, "unit": "minutes"|"hours"|"days"|"weeks" }, got {"amount":2,"unit":"months"}' }],
    ['in_last with an extra key', cmp('created_at', 'in_last', { amount: 2, unit: 'days', ago: true }), { path: 'query.blocks[0].where.value', message: 'operator "in_last" needs { "amount": positive integer, "unit": "minutes"|"hours"|"days"|"weeks" }, got {"amount":2,"unit":"days","ago":true}' }],
    ['in_month out of range', cmp('birthdate', 'in_month', 13), { path: 'query.blocks[0].where.value', message: 'operator "in_month" needs a month 1-12 or "current", got 13' }],
    ['in_month by name', cmp('birthdate', 'in_month', 'june'), { path: 'query.blocks[0].where.value', message: 'operator "in_month" needs a month 1-12 or "current", got "june"' }],
  ])('%s', (_title, where, expected) => {
    expect(issuesOf(prof(where))).toEqual([expected]);
  });

  it('unknown attribute, listing the known ones', () => {
    const [issue] = issuesOf(prof(cmp('favourite_color', 'eq', 'red')));
    expect(issue).toEqual({
      path: 'query.blocks[0].where.attr',
      message: expect.stringMatching(/^unknown attribute "favourite_color" of contact \(known: first_name, last_name, email, .*account_id, secret\)$/),
    });
  });

  it('unknown attribute of a related entity', () => {
    const [issue] = issuesOf(prof(cmp('account.foo', 'eq', 'x')));
    expect(issue!.path).toBe('query.blocks[0].where.attr');
    expect(issue!.message).toMatch(/^unknown attribute "foo" of account \(known: name, industry, /);
  });

  it('paths inside nested conditions and groups', () => {
    const where = { all: [cmp('state', 'eq', 'AZ'), { any: [{ not: cmp('score', 'eq', 'x') }] }] };
    expect(issuesOf(dyn({ kind: 'profile', where: cmp('state', 'is_empty') }, { relation: 'or', kind: 'group', blocks: [{ kind: 'profile', where }] }))).toEqual([
      { path: 'query.blocks[1].blocks[0].where.all[1].any[0].not.value', message: 'expected a number for a number attribute, got "x"' },
    ]);
  });
});

describe('behavioral blocks', () => {
  it('unknown interaction type, listing the known ones', () => {
    const [issue] = issuesOf(dyn({ kind: 'behavioral', interaction: 'email_opened' }));
    expect(issue!.path).toBe('query.blocks[0].interaction');
    expect(issue!.message).toMatch(/^unknown interaction type "email_opened" \(known: .*email_open.*\)$/);
  });

  it.each<[string, Record<string, unknown>, Issue]>([
    ['interaction type not queryable', { interaction: 'hidden_type' }, { path: 'query.blocks[0].interaction', message: 'interaction type "hidden_type" is not queryable' }],
    ['a contact attribute in an interaction condition', { where: cmp('state', 'eq', 'AZ') }, { path: 'query.blocks[0].where.attr', message: expect.stringMatching(/^unknown attribute "state" of interaction \(known: campaign_id, /) as unknown as string }],
    ['a relation from an interaction', { where: cmp('account.name', 'eq', 'x') }, { path: 'query.blocks[0].where.attr', message: '"account" is not a relation of interaction' }],
    ['a value of the wrong type for a property', { where: cmp('campaign_id', 'gt', 3) }, { path: 'query.blocks[0].where.value', message: 'expected a string for a string attribute, got 3' }],
    ['window from after to', { window: { from: '2024-06-02', to: '2024-06-01T23:59:59Z' } }, { path: 'query.blocks[0].window', message: '"from" is after "to"' }],
    ['window from unparseable', { window: { from: 'last tuesday', to: '2024-06-01' } }, { path: 'query.blocks[0].window.from', message: 'expected an ISO 8601 date or date-time with zone, got "last tuesday"' }],
    ['window to unparseable', { window: { from: '2024-06-01', to: '2024-13-01' } }, { path: 'query.blocks[0].window.to', message: 'expected an ISO 8601 date or date-time with zone, got "2024-13-01"' }],
  ])('%s', (_title, extra, expected) => {
    expect(issuesOf(dyn({ kind: 'behavioral', interaction: 'email_open', ...extra }))).toEqual([expected]);
  });
});

describe('relations between blocks', () => {
  const block = (extra: Record<string, unknown> = {}): Block => ({ kind: 'profile', where: cmp('state', 'is_empty'), ...extra }) as Block;
  it('the first block has no relation', () => {
    expect(issuesOf(dyn(block({ relation: 'or' })))).toEqual([{ path: 'query.blocks[0].relation', message: 'the first block of a list has no relation' }]);
  });
  it('every later block needs one', () => {
    expect(issuesOf(dyn(block(), block()))).toEqual([
      { path: 'query.blocks[1].relation', message: 'required: "or", "and_also" or "but_not" joins this block to the ones before' },
    ]);
  });
  it('inside a group too', () => {
    expect(issuesOf(dyn(block(), { relation: 'or', kind: 'group', blocks: [block({ relation: 'but_not' }), block()] }))).toEqual([
      { path: 'query.blocks[1].blocks[0].relation', message: 'the first block of a list has no relation' },
      { path: 'query.blocks[1].blocks[1].relation', message: 'required: "or", "and_also" or "but_not" joins this block to the ones before' },
    ]);
  });
});

describe('segments, references and types', () => {
  it.each<[string, Record<string, unknown>, Issue]>([
    ['unknown segment', dyn({ kind: 'segment', segment: 'nope' }), { path: 'query.blocks[0].segment', message: 'unknown segment "nope"' }],
    ['self reference', dyn({ kind: 'profile', where: cmp('state', 'is_empty') }, { relation: 'or', kind: 'segment', segment: 'a' }), { path: 'query.blocks[1].segment', message: 'a segment cannot reference itself' }],
    ['a cycle through saved segments', dyn({ kind: 'segment', segment: 'b' }), { path: 'query', message: 'segment references form a cycle: a → b → c → a' }],
    ['a compound segment with a profile block', { id: 'a', name: 'x', type: 'compound', query: { blocks: [{ kind: 'segment', segment: 'known' }, { relation: 'or', kind: 'profile', where: cmp('state', 'is_empty') }] } }, { path: 'query.blocks[1].kind', message: 'a compound segment is built from segment blocks only, got "profile"' }],
    ['a compound segment with a behavioral block in a group', { id: 'a', name: 'x', type: 'compound', query: { blocks: [{ kind: 'group', blocks: [{ kind: 'behavioral', interaction: 'email_open' }] }] } }, { path: 'query.blocks[0].blocks[0].kind', message: 'a compound segment is built from segment blocks only, got "behavioral"' }],
    ['a static segment with a query', { id: 'a', name: 'x', type: 'static', query: { blocks: [{ kind: 'segment', segment: 'known' }] } }, { path: 'query', message: 'a static segment has no query; its members are set by hand' }],
    ['a dynamic segment without a query', { id: 'a', name: 'x', type: 'dynamic' }, { path: 'query', message: 'a dynamic segment needs a query' }],
    ['a dynamic segment with members', { ...dyn({ kind: 'segment', segment: 'known' }), members: ['c1'] }, { path: 'members', message: 'only static segments take members' }],
  ])('%s', (_title, input, expected) => {
    expect(issuesOf(input)).toEqual([expected]);
  });

  it('a compound segment of segment blocks and groups of them is valid', () => {
    expect(issuesOf({ id: 'a', name: 'x', type: 'compound', query: { blocks: [{ kind: 'segment', segment: 'known' }, { relation: 'but_not', kind: 'group', blocks: [{ kind: 'segment', segment: 'vip' }] }] } })).toEqual([]);
  });
});

describe('through the engine', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await memoryEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('reports every issue at once, the message naming the first few', async () => {
    const where = { all: Array.from({ length: 7 }, (_, i) => cmp('score', 'eq', `x${i}`)) };
    const err = await engine.segments.create(prof(where)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SegmataError);
    const e = err as SegmataError;
    expect(e.code).toBe('invalid_definition');
    expect(e.issues.map((i) => i.path)).toEqual(Array.from({ length: 7 }, (_, i) => `query.blocks[0].where.all[${i}].value`));
    expect(e.message).toBe(
      'invalid segment definition: ' +
        Array.from({ length: 5 }, (_, i) => `query.blocks[0].where.all[${i}].value: expected a number for a number attribute, got "x${i}"`).join('; ') +
        ' (and 2 more)',
    );
    expect(await engine.segments.list()).toEqual([]);
  });

  it('estimate validates the same way', async () => {
    await expect(engine.segments.estimate(prof(cmp('nope', 'eq', 1)))).rejects.toMatchObject({
      code: 'invalid_definition',
      issues: [{ path: 'query.blocks[0].where.attr', message: expect.stringMatching(/^unknown attribute "nope" of contact/) }],
    });
  });

  it('segments referenced by saved definitions are looked up in the database', async () => {
    await expect(engine.segments.create(dyn({ kind: 'segment', segment: 'ghost' }))).rejects.toMatchObject({
      issues: [{ path: 'query.blocks[0].segment', message: 'unknown segment "ghost"' }],
    });
  });
});
