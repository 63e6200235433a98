import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Block, Condition } from '../src/definition/ast.js';
import { checkDefinition } from '../src/definition/check.js';
import { parseDefinitionShape } from '../src/definition/parse.js';
import type { Engine } from '../src/engine/engine.js';
import { SegmataError, type Issue } from '../src/errors.js';
import { DEFINITION_LIMITS } from '../src/definition/limits.js';
import { DEFAULT_ATTRIBUTES, STANDARD_INTERACTION_TYPES } from '../src/schema/defaults.js';
import { SchemaRegistry } from '../src/schema/registry.js';
import { memoryEngine } from './helpers/engine.js';
import { seed } from './helpers/seed.js';

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

const RANGE = '(years 0001-9999, real calendar days, hours 00-23, minutes and seconds 00-59, offsets within ±14:00)';

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
    ['relative window without to_ago', behavioral({ window: { from_ago: { amount: 90, unit: 'days' } } }), { path: 'query.blocks[0].window.to_ago', message: 'required field "to_ago" is missing' }],
    ['relative window with a zero edge', behavioral({ window: { from_ago: { amount: 90, unit: 'days' }, to_ago: { amount: 0, unit: 'days' } } }), { path: 'query.blocks[0].window.to_ago.amount', message: 'must be at least 1, got 0' }],
    ['relative window mixed with a fixed one', behavioral({ window: { from_ago: { amount: 90, unit: 'days' }, to_ago: { amount: 30, unit: 'days' }, to: '2024-06-01' } }), { path: 'query.blocks[0].window.to', message: 'unknown field "to"' }],
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
    ['an impossible date', cmp('birthdate', 'eq', '2024-02-30'), { path: 'query.blocks[0].where.value', message: `"2024-02-30" is not a real date or time ${RANGE}` }],
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
    ['window from unparseable', { window: { from: 'last tuesday', to: '2024-06-01' } }, { path: 'query.blocks[0].window.from', message: 'expected an ISO 8601 date (2024-05-31) or date-time with zone (2024-05-31T12:00:00Z), got "last tuesday"' }],
    ['window to not a date', { window: { from: '2024-06-01', to: '2024-13-01' } }, { path: 'query.blocks[0].window.to', message: `"2024-13-01" is not a real date or time ${RANGE}` }],
    ['relative window from_ago as long as to_ago', { window: { from_ago: { amount: 30, unit: 'days' }, to_ago: { amount: 30, unit: 'days' } } }, { path: 'query.blocks[0].window', message: '"from_ago" (30 days) must be longer than "to_ago" (30 days)' }],
    ['relative window from_ago shorter than to_ago', { window: { from_ago: { amount: 30, unit: 'days' }, to_ago: { amount: 90, unit: 'days' } } }, { path: 'query.blocks[0].window', message: '"from_ago" (30 days) must be longer than "to_ago" (90 days)' }],
    // Compared in milliseconds, not by amount: 1 week is shorter than 8 days.
    ['relative window from_ago 1 week, to_ago 8 days', { window: { from_ago: { amount: 1, unit: 'weeks' }, to_ago: { amount: 8, unit: 'days' } } }, { path: 'query.blocks[0].window', message: '"from_ago" (1 week) must be longer than "to_ago" (8 days)' }],
  ])('%s', (_title, extra, expected) => {
    expect(issuesOf(dyn({ kind: 'behavioral', interaction: 'email_open', ...extra }))).toEqual([expected]);
  });

  it('a relative window whose from_ago is longer, in any units, is accepted', () => {
    expect(issuesOf(dyn({ kind: 'behavioral', interaction: 'email_open', window: { from_ago: { amount: 8, unit: 'days' }, to_ago: { amount: 1, unit: 'weeks' } } }))).toEqual([]);
    expect(issuesOf(dyn({ kind: 'behavioral', interaction: 'email_open', window: { from_ago: { amount: 90, unit: 'days' }, to_ago: { amount: 30, unit: 'days' } } }))).toEqual([]);
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

  it('estimate refuses a static segment\'s unknown members as saving does, and counts the known ones once', async () => {
    const vip = { name: 'vip', type: 'static', members: ['nobody'] };
    await expect(engine.segments.estimate(vip)).rejects.toMatchObject({ code: 'invalid_argument', issues: [{ path: 'members', message: 'unknown contact "nobody"' }] });
    await expect(engine.segments.create(vip)).rejects.toMatchObject({ code: 'invalid_argument', issues: [{ path: 'members', message: 'unknown contact "nobody"' }] });
    await engine.store.run("INSERT INTO contacts (id) VALUES ('c1')");
    expect((await engine.segments.estimate({ ...vip, members: ['c1', 'c1'] })).total).toBe(1);
    await engine.store.run("DELETE FROM contacts WHERE id = 'c1'");
  });

  it('segments referenced by saved definitions are looked up in the database', async () => {
    await expect(engine.segments.create(dyn({ kind: 'segment', segment: 'ghost' }))).rejects.toMatchObject({
      issues: [{ path: 'query.blocks[0].segment', message: 'unknown segment "ghost"' }],
    });
  });
});

describe('bounds (DEFINITION_LIMITS): each just inside and just past', () => {
  const L = DEFINITION_LIMITS;
  const leaf = cmp('state', 'is_empty');
  const nestNot = (n: number): Condition => {
    let c: Condition = leaf;
    for (let i = 0; i < n; i++) c = { not: c };
    return c;
  };
  const nestGroups = (n: number): Block => {
    let b: Block = { kind: 'profile', where: leaf };
    for (let i = 0; i < n; i++) b = { kind: 'group', blocks: [b] };
    return b;
  };
  const behavioralBlocks = (n: number): Block[] =>
    Array.from({ length: n }, (_, i): Block => ({ kind: 'behavioral', interaction: 'email_open', ...(i ? { relation: 'or' as const } : {}) }));
  const one = (issues: Issue[]): Issue => {
    expect(issues).toHaveLength(1);
    return issues[0]!;
  };

  it('conditions nest at most 32 deep', () => {
    expect(issuesOf(prof(nestNot(L.maxDepth)))).toEqual([]);
    expect(one(issuesOf(prof(nestNot(L.maxDepth + 1))))).toEqual({
      path: `query.blocks[0].where${'.not'.repeat(33)}`,
      message: 'nests groups and conditions more than 32 levels deep',
    });
  });

  it('groups nest at most 32 deep, together with the conditions inside them', () => {
    expect(issuesOf(dyn(nestGroups(L.maxDepth)))).toEqual([]);
    expect(one(issuesOf(dyn(nestGroups(L.maxDepth + 1)))).path).toBe(`query.blocks[0]${'.blocks[0]'.repeat(32)}.blocks`);
    // 31 groups around a profile block whose condition nests twice: 33 levels.
    let b: Block = { kind: 'profile', where: { all: [{ any: [leaf] }] } };
    for (let i = 0; i < 31; i++) b = { kind: 'group', blocks: [b] };
    expect(one(issuesOf(dyn(b))).message).toBe('nests groups and conditions more than 32 levels deep');
  });

  it('a definition nested 100,000 deep is refused at once, without overflowing the stack', () => {
    const err = (() => {
      try {
        parseDefinitionShape(prof(nestNot(100_000)));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(SegmataError);
    expect((err as SegmataError).code).toBe('invalid_definition');
  });

  it('at most 1,000 blocks and conditions in all', () => {
    expect(issuesOf(dyn(...behavioralBlocks(L.maxNodes)))).toEqual([]);
    expect(one(issuesOf(dyn(...behavioralBlocks(L.maxNodes + 1))))).toEqual({ path: 'query.blocks', message: 'the definition has more than 1,000 blocks and conditions in all' });
    // One block, its `any` and 998 comparisons: 1,000; one more comparison is too many.
    const anyOf = (n: number): Condition => ({ any: Array.from({ length: n }, () => leaf) });
    expect(issuesOf(prof(anyOf(998)))).toEqual([]);
    expect(one(issuesOf(prof(anyOf(999)))).message).toBe('the definition has more than 1,000 blocks and conditions in all');
    // 5,000 OR blocks (a parser "memory exhausted" once) are refused the same way.
    expect(one(issuesOf(dyn(...behavioralBlocks(5_000)))).path).toBe('query.blocks');
  });

  it('an in / not_in list holds at most 10,000 values', () => {
    const list = (n: number): string[] => Array.from({ length: n }, (_, i) => `v${i}`);
    expect(issuesOf(prof(cmp('state', 'in', list(L.maxListValues))))).toEqual([]);
    expect(one(issuesOf(prof(cmp('state', 'not_in', list(L.maxListValues + 1)))))).toEqual({ path: 'query.blocks[0].where.value', message: 'has 10,001 values; a list holds at most 10,000' });
  });

  it('a string holds at most 4,096 characters, wherever it is', () => {
    expect(issuesOf(prof(cmp('state', 'eq', 'x'.repeat(L.maxStringLength))))).toEqual([]);
    expect(one(issuesOf(prof(cmp('state', 'eq', 'x'.repeat(L.maxStringLength + 1)))))).toEqual({ path: 'query.blocks[0].where.value', message: 'is 4,097 characters long; at most 4,096 are allowed' });
    expect(one(issuesOf(prof(cmp('x'.repeat(5000), 'eq', 'a')))).path).toBe('query.blocks[0].where.attr');
    expect(one(issuesOf({ name: 'x', type: 'static', ['k'.repeat(5000)]: 1 }))).toEqual({ path: '', message: 'has a field name 5,000 characters long; at most 4,096 are allowed' });
  });

  it('a count is a safe integer', () => {
    expect(issuesOf(behavioral({ count: { op: 'lt', value: Number.MAX_SAFE_INTEGER } }))).toEqual([]);
    expect(one(issuesOf(behavioral({ count: { op: 'gte', value: Number.MAX_SAFE_INTEGER + 1 } })))).toEqual({ path: 'query.blocks[0].count.value', message: 'must be at most 9007199254740991, got 9007199254740992' });
    expect(one(issuesOf(behavioral({ count: { op: 'gte', value: 1e300 } }))).path).toBe('query.blocks[0].count.value');
  });

  it.each(Object.entries(DEFINITION_LIMITS.maxDuration))('a duration in %s is at most 100 years (%i)', (unit, max) => {
    expect(issuesOf(behavioral({ window: { last: { amount: max, unit } } }))).toEqual([]);
    expect(one(issuesOf(behavioral({ window: { last: { amount: max + 1, unit } } })))).toEqual({ path: 'query.blocks[0].window.last.amount', message: `must be at most ${max} (100 years), got ${max + 1}` });
    const edge = { amount: 1, unit: 'minutes' };
    expect(issuesOf(behavioral({ window: { from_ago: { amount: max, unit }, to_ago: edge } }))).toEqual([]);
    expect(one(issuesOf(behavioral({ window: { from_ago: { amount: max + 1, unit }, to_ago: edge } })))).toEqual({ path: 'query.blocks[0].window.from_ago.amount', message: `must be at most ${max} (100 years), got ${max + 1}` });
    expect(issuesOf(behavioral({ window: { from_ago: { amount: max + 1, unit }, to_ago: { amount: max + 1, unit } } })).map((i) => i.path).sort()).toEqual(['query.blocks[0].window.from_ago.amount', 'query.blocks[0].window.to_ago.amount']);
    expect(issuesOf(prof(cmp('created_at', 'in_last', { amount: max, unit })))).toEqual([]);
    expect(one(issuesOf(prof(cmp('created_at', 'not_in_last', { amount: max + 1, unit }))))).toEqual({
      path: 'query.blocks[0].where.value',
      message: `operator "not_in_last" takes at most 100 years (${max.toLocaleString('en-US')} ${unit}), got ${max + 1} ${unit}`,
    });
  });

  it.each([
    ['0001-01-01', true],
    ['0000-01-01', false],
    ['9999-12-31', true],
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2024-04-31', false],
    ['2024-06-01T12:00:00+14:00', true],
    ['2024-06-01T12:00:00-14:00', true],
    ['2024-06-01T12:00:00+14:01', false],
    ['2024-06-01T12:00:00+25:00', false],
    ['2024-06-01T12:00:00+05:60', false],
    ['2024-06-01T23:59:59Z', true],
    ['2024-06-01T24:00:00Z', false],
    ['2024-06-01T12:60:00Z', false],
    ['2024-06-01T12:00:60Z', false],
    ['0001-01-01T00:00:00Z', true],
    // Written in year 0001 / 9999, but the instant is in year 0 / 10000 in UTC: refused, as records do.
    ['0001-01-01T00:00:00+01:00', false],
    ['9999-12-31T23:00:00-01:00', false],
  ])('%s is a date(-time) a definition can hold: %s', (value, ok) => {
    const issues = issuesOf(prof(cmp('created_at', 'after', value)));
    if (ok) expect(issues).toEqual([]);
    else expect(one(issues)).toEqual({ path: 'query.blocks[0].where.value', message: `"${value}" is not a real date or time ${RANGE}` });
    const window = issuesOf(behavioral({ window: { from: value, to: value } }));
    if (ok) expect(window).toEqual([]);
    else expect(window.map((i) => i.path)).toEqual(['query.blocks[0].window.from', 'query.blocks[0].window.to']);
  });

  it.each<[string, unknown, string, string]>([
    ['Infinity (1e309 in JSON)', JSON.parse('1e309'), 'query.blocks[0].where.value', 'must be a finite number, got Infinity'],
    ['NaN', Number.NaN, 'query.blocks[0].where.value', 'must be a finite number, got NaN'],
    ['a function', () => 1, 'query.blocks[0].where.value', 'is not a JSON value (function)'],
    ['a bigint', 10n, 'query.blocks[0].where.value', 'is not a JSON value (bigint)'],
    ['a Date', new Date(0), 'query.blocks[0].where.value', 'is not a JSON value (Date)'],
    ['a lone surrogate', 'a\uD800b', 'query.blocks[0].where.value', 'is not well-formed Unicode text (it holds a lone surrogate)'],
    ['undefined in a list', ['a', undefined], 'query.blocks[0].where.value[1]', 'is not a JSON value (undefined)'],
  ])('not JSON: %s', (_title, value, path, message) => {
    expect(one(issuesOf(prof({ attr: 'score', op: 'eq', value } as unknown as Condition)))).toEqual({ path, message });
  });

  it('a cyclic object is refused by its depth', () => {
    const where: Record<string, unknown> = { attr: 'state', op: 'eq' };
    where.value = where;
    expect(one(issuesOf(prof(where))).message).toMatch(/^is nested more than \d+ levels deep$/);
  });

  it('prototype keys are unknown fields, nothing more', () => {
    expect(issuesOf(JSON.parse('{"name":"x","type":"static","__proto__":{"admin":true}}'))).toEqual([{ path: '__proto__', message: 'unknown field "__proto__"' }]);
    expect(issuesOf(prof(JSON.parse('{"attr":"state","op":"eq","value":"a","constructor":{"prototype":1}}')))).toEqual([
      { path: 'query.blocks[0].where.constructor', message: 'unknown field "constructor"' },
    ]);
    expect(one(issuesOf(prof(cmp('__proto__', 'eq', 'x')))).message).toMatch(/^unknown attribute "__proto__" of contact/);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('a huge list of wrong values names the first hundred, each message short', () => {
    const issues = issuesOf(prof(cmp('score', 'in', Array.from({ length: 5000 }, () => 'x'.repeat(4000)))));
    expect(issues).toHaveLength(100);
    expect(issues[0]!.message.length).toBeLessThan(200);
  });
});

describe('evaluation: what validation accepts runs, on data (once 500s)', () => {
  let engine: Engine;
  const scores = [-1e308, -5, 0, 0.5, 1e20, 1e300];
  beforeAll(async () => {
    engine = await memoryEngine();
    await seed(engine, {
      contacts: [...scores.map((_, i) => ({ id: `c${i}`, state: i % 2 ? 'AZ' : 'CA' })), { id: 'c-null' }],
      interactions: [
        { contact_id: 'c0', type: 'email_open', occurred_at: '2024-05-31T12:00:00Z' },
        { contact_id: 'c1', type: 'email_open', occurred_at: '1930-01-01T00:00:00Z' },
        { contact_id: 'c1', type: 'email_open', occurred_at: '2024-05-01T00:00:00Z' },
      ],
    });
    // As text: a whole JavaScript number past 64 bits would be bound as a BIGINT.
    for (const [i, score] of scores.entries()) await engine.store.run('UPDATE contacts SET score = CAST($1 AS DOUBLE) WHERE id = $2', [String(score), `c${i}`]);
  });
  afterAll(async () => {
    await engine?.close();
  });

  const total = async (where: Condition | Block): Promise<number> => {
    const block = 'kind' in where ? where : { kind: 'profile', where };
    return (await engine.segments.estimate(dyn(block))).total;
  };

  it('numbers beyond 64 bits compare as the doubles they are (once "bigint out of int64 range")', async () => {
    expect(await total(cmp('score', 'eq', -1e308))).toBe(1);
    expect(await total(cmp('score', 'gt', -1e308))).toBe(5);
    expect(await total(cmp('score', 'gte', 1e20))).toBe(2);
    expect(await total(cmp('score', 'lt', 1e300))).toBe(5);
    expect(await total(cmp('score', 'between', [-1e308, 1e20]))).toBe(5);
    expect(await total(cmp('score', 'in', [1e300, -1e308, 7]))).toBe(2);
    expect(await total(cmp('score', 'not_in', [1e300, -1e308]))).toBe(4);
  });

  it('a count or a window past its bound is a 400 at once (once a 500)', async () => {
    await expect(engine.segments.estimate(behavioral({ count: { op: 'gte', value: 1e300 } }))).rejects.toMatchObject({ code: 'invalid_definition', issues: [{ path: 'query.blocks[0].count.value' }] });
    await expect(engine.segments.estimate(behavioral({ window: { last: { amount: 1e20, unit: 'days' } } }))).rejects.toMatchObject({ code: 'invalid_definition', issues: [{ path: 'query.blocks[0].window.last.amount' }] });
    await expect(engine.segments.create(prof(cmp('created_at', 'in_last', { amount: 1e20, unit: 'days' })))).rejects.toMatchObject({ code: 'invalid_definition', issues: [{ path: 'query.blocks[0].where.value' }] });
    expect(await engine.segments.list()).toEqual([]);
  });

  it('a window of exactly 100 years and a count of 2^53 - 1 evaluate', async () => {
    expect(await total({ kind: 'behavioral', interaction: 'email_open', window: { last: { amount: 36_525, unit: 'days' } }, count: { op: 'gte', value: 2 } })).toBe(1);
    expect(await total({ kind: 'behavioral', interaction: 'email_open', window: { from_ago: { amount: 36_525, unit: 'days' }, to_ago: { amount: 1, unit: 'minutes' } }, count: { op: 'gte', value: 2 } })).toBe(1);
    expect(await total({ kind: 'behavioral', interaction: 'email_open', count: { op: 'lt', value: Number.MAX_SAFE_INTEGER } })).toBe(7);
    expect(await total(cmp('created_at', 'not_in_last', { amount: 5_217, unit: 'weeks' }))).toBe(0);
  });

  it('10,000-value lists, bound as one parameter, match as short ones do', async () => {
    const states = ['AZ', ...Array.from({ length: 9_999 }, (_, i) => `"quoted" \\ ${i} \u0000 é`)];
    expect(await total(cmp('state', 'in', states))).toBe(3);
    expect(await total(cmp('state', 'not_in', states))).toBe(3);
    expect(await total({ not: cmp('state', 'in', states) })).toBe(4);
    const numbers = [0.5, -1e308, ...Array.from({ length: 9_998 }, (_, i) => 1e6 + i)];
    expect(await total(cmp('score', 'in', numbers))).toBe(2);
    expect(await total(cmp('score', 'not_in', numbers))).toBe(4);
  });

  it('a go-live the database cannot take now (out of memory) leaves the segment a draft, and says to try again', async () => {
    const saved = await engine.segments.create({ ...prof(cmp('state', 'eq', 'AZ')), id: 'busy', name: 'busy' });
    const spy = vi.spyOn(engine.store, 'transaction').mockRejectedValueOnce(new SegmataError('unavailable', 'the database ran out of memory'));
    try {
      await expect(engine.segments.goLive(saved.id)).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      spy.mockRestore();
    }
    expect((await engine.segments.get(saved.id)).status).toBe('draft');
    expect((await engine.segments.goLive(saved.id)).members).toBe(3);
    await engine.segments.stop(saved.id);
    await engine.segments.delete(saved.id);
  });

  it('a 1,000-block definition (mixed relations) compiles and runs, counted block by block', async () => {
    const relations = ['or', 'and_also', 'but_not'] as const;
    const blocks = Array.from({ length: 1_000 }, (_, i): Block => ({
      kind: 'behavioral',
      interaction: 'email_open',
      // The last block decides: "or" with a 2-day window holds only c0.
      window: { last: { amount: i === 999 ? 2 : 1_000 + i, unit: 'days' } },
      ...(i ? { relation: i === 999 ? 'or' : relations[i % 3] } : {}),
    }));
    // Before the last block: or / and_also keep {c0, c1}; but_not (every third) empties it.
    const estimate = await engine.segments.estimate(dyn(...blocks));
    expect(estimate.total).toBe(1);
    expect(estimate.blocks).toHaveLength(1_000);
    expect(estimate.blocks[0]!.count).toBe(2);
    expect(estimate.blocks[999]!.count).toBe(1);
    const saved = await engine.segments.create({ ...dyn(...blocks), id: 'thousand', name: 'thousand' });
    expect((await engine.segments.goLive(saved.id)).members).toBe(1);
    await engine.segments.stop(saved.id);
    await engine.segments.delete(saved.id);
  }, 180_000);
});
