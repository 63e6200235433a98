import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Condition } from '../src/definition/ast.js';
import type { Engine } from '../src/engine/engine.js';
import { TEST_NOW, memoryEngine } from './helpers/engine.js';
import { evaluate, seed, type DataSet } from './helpers/seed.js';
import { referenceMembers, sorted } from './reference/evaluator.js';

/**
 * Every operator on every type it applies to, with the null semantics of SPEC §2, against
 * hand-computed member sets. Each case runs through the SQL compiler (estimate and member
 * source) and through the reference evaluator, which pins the reference to the same answers.
 *
 * now = 2024-06-01T12:00:00Z.
 */

const DATA: DataSet = {
  accounts: [
    { id: 'a1', name: 'Acme', industry: 'Software', employees: 1000, created_at: '2024-05-31T12:00:01Z' },
    { id: 'a2', name: 'Bolt', industry: 'software', employees: 500, created_at: '2020-01-01T00:00:00Z' },
    { id: 'a3', name: null, industry: null, employees: null, created_at: null },
    { id: 'a4', name: '', industry: '', employees: 0, created_at: '2024-05-31T12:00:00Z' },
  ],
  contacts: [
    // created_at: exactly now
    { id: 'c1', state: 'AZ', city: 'Phoenix', score: 50, email_consent: true, birthdate: '1990-06-15', created_at: '2024-06-01T12:00:00Z', account_id: 'a1' },
    // created_at: exactly now - 1 day (the open end of (now - 1d, now])
    { id: 'c2', state: 'az', city: 'phoenix', score: 49.5, email_consent: false, birthdate: '1985-12-31', created_at: '2024-05-31T12:00:00Z', account_id: 'a2' },
    // all null, and a dangling account reference
    { id: 'c3', state: null, city: '', score: null, email_consent: null, birthdate: null, created_at: null, account_id: 'a-missing' },
    // created_at: one second inside the day; birthdate: today (midnight UTC); no account
    { id: 'c4', state: 'CA', city: 'Tucson', score: 100, email_consent: true, birthdate: '2024-06-01', created_at: '2024-05-31T12:00:01Z', account_id: null },
    // created_at: after now
    { id: 'c5', state: '', city: 'PHOENIX WEST', score: 0, email_consent: false, birthdate: '2000-02-29', created_at: '2024-06-01T12:00:01Z', account_id: 'a3' },
    // created_at: one second before the day
    { id: 'c6', state: 'NY', city: "O'Hare", score: -1, email_consent: true, birthdate: '1999-05-31', created_at: '2024-05-31T11:59:59Z', account_id: 'a4' },
  ],
};

const EVERYONE = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];

type Case = [title: string, where: Condition, expected: string[]];

const STRING_CASES: Case[] = [
  ['eq is case-sensitive', { attr: 'state', op: 'eq', value: 'AZ' }, ['c1']],
  ['eq matches the empty string only', { attr: 'state', op: 'eq', value: '' }, ['c5']],
  ['ne excludes null, keeps the empty string', { attr: 'state', op: 'ne', value: 'AZ' }, ['c2', 'c4', 'c5', 'c6']],
  ['lt compares exactly (upper before lower case)', { attr: 'state', op: 'lt', value: 'CA' }, ['c1', 'c5']],
  ['lte', { attr: 'state', op: 'lte', value: 'CA' }, ['c1', 'c4', 'c5']],
  ['gt', { attr: 'state', op: 'gt', value: 'CA' }, ['c2', 'c6']],
  ['gte', { attr: 'state', op: 'gte', value: 'CA' }, ['c2', 'c4', 'c6']],
  ['between is inclusive', { attr: 'state', op: 'between', value: ['AZ', 'CA'] }, ['c1', 'c4']],
  ['in is case-sensitive', { attr: 'state', op: 'in', value: ['AZ', 'NY'] }, ['c1', 'c6']],
  ['not_in excludes null', { attr: 'state', op: 'not_in', value: ['AZ', 'NY'] }, ['c2', 'c4', 'c5']],
  ['contains is case-insensitive', { attr: 'state', op: 'contains', value: 'z' }, ['c1', 'c2']],
  ['not_contains excludes null', { attr: 'state', op: 'not_contains', value: 'z' }, ['c4', 'c5', 'c6']],
  ['starts_with is case-insensitive', { attr: 'city', op: 'starts_with', value: 'PHOENIX' }, ['c1', 'c2', 'c5']],
  ['ends_with is case-insensitive', { attr: 'city', op: 'ends_with', value: 'NIX' }, ['c1', 'c2']],
  ['contains in the middle', { attr: 'city', op: 'contains', value: 'hoen' }, ['c1', 'c2', 'c5']],
  ['contains a quote', { attr: 'city', op: 'contains', value: "'" }, ['c6']],
  ['eq with a quote', { attr: 'city', op: 'eq', value: "O'Hare" }, ['c6']],
  ['% is no wildcard', { attr: 'city', op: 'contains', value: '%' }, []],
  ['_ is no wildcard', { attr: 'city', op: 'starts_with', value: '_' }, []],
  ['is_empty is true for null and the empty string', { attr: 'state', op: 'is_empty' }, ['c3', 'c5']],
  ['is_not_empty', { attr: 'state', op: 'is_not_empty' }, ['c1', 'c2', 'c4', 'c6']],
];

const NUMBER_CASES: Case[] = [
  ['eq', { attr: 'score', op: 'eq', value: 50 }, ['c1']],
  ['eq a fraction', { attr: 'score', op: 'eq', value: 49.5 }, ['c2']],
  ['ne excludes null', { attr: 'score', op: 'ne', value: 50 }, ['c2', 'c4', 'c5', 'c6']],
  ['lt', { attr: 'score', op: 'lt', value: 50 }, ['c2', 'c5', 'c6']],
  ['lte', { attr: 'score', op: 'lte', value: 50 }, ['c1', 'c2', 'c5', 'c6']],
  ['gt', { attr: 'score', op: 'gt', value: 50 }, ['c4']],
  ['gte', { attr: 'score', op: 'gte', value: 50 }, ['c1', 'c4']],
  ['between is inclusive', { attr: 'score', op: 'between', value: [0, 50] }, ['c1', 'c2', 'c5']],
  ['between with negative bounds', { attr: 'score', op: 'between', value: [-1, -1] }, ['c6']],
  ['in', { attr: 'score', op: 'in', value: [0, 100] }, ['c4', 'c5']],
  ['not_in excludes null', { attr: 'score', op: 'not_in', value: [0, 100] }, ['c1', 'c2', 'c6']],
  ['is_empty', { attr: 'score', op: 'is_empty' }, ['c3']],
  ['is_not_empty (zero is a value)', { attr: 'score', op: 'is_not_empty' }, ['c1', 'c2', 'c4', 'c5', 'c6']],
];

const BOOLEAN_CASES: Case[] = [
  ['eq true', { attr: 'email_consent', op: 'eq', value: true }, ['c1', 'c4', 'c6']],
  ['eq false excludes null', { attr: 'email_consent', op: 'eq', value: false }, ['c2', 'c5']],
  ['ne true excludes null', { attr: 'email_consent', op: 'ne', value: true }, ['c2', 'c5']],
  ['is_empty', { attr: 'email_consent', op: 'is_empty' }, ['c3']],
  ['is_not_empty (false is a value)', { attr: 'email_consent', op: 'is_not_empty' }, ['c1', 'c2', 'c4', 'c5', 'c6']],
];

const DATE_CASES: Case[] = [
  ['eq a date', { attr: 'birthdate', op: 'eq', value: '1990-06-15' }, ['c1']],
  ['eq its midnight UTC instant', { attr: 'birthdate', op: 'eq', value: '1990-06-15T00:00:00Z' }, ['c1']],
  ['eq the same instant in another zone', { attr: 'birthdate', op: 'eq', value: '1990-06-15T02:00:00+02:00' }, ['c1']],
  ['ne excludes null', { attr: 'birthdate', op: 'ne', value: '1990-06-15' }, ['c2', 'c4', 'c5', 'c6']],
  ['lt', { attr: 'birthdate', op: 'lt', value: '1990-06-15' }, ['c2']],
  ['before is strict', { attr: 'birthdate', op: 'before', value: '1990-06-15' }, ['c2']],
  ['lte', { attr: 'birthdate', op: 'lte', value: '1990-06-15' }, ['c1', 'c2']],
  ['gt', { attr: 'birthdate', op: 'gt', value: '1999-05-31' }, ['c4', 'c5']],
  ['after is strict', { attr: 'birthdate', op: 'after', value: '1999-05-31' }, ['c4', 'c5']],
  ['gte', { attr: 'birthdate', op: 'gte', value: '2000-02-29' }, ['c4', 'c5']],
  ['between is inclusive', { attr: 'birthdate', op: 'between', value: ['1990-06-15', '2000-02-29'] }, ['c1', 'c5', 'c6']],
  ['after a date-time: a date is its midnight', { attr: 'birthdate', op: 'after', value: '2024-05-31T23:59:59Z' }, ['c4']],
  ['before a date-time just after midnight', { attr: 'birthdate', op: 'before', value: '2024-06-01T00:00:01Z' }, ['c1', 'c2', 'c4', 'c5', 'c6']],
  ['in_last 1 day holds for today (midnight)', { attr: 'birthdate', op: 'in_last', value: { amount: 1, unit: 'days' } }, ['c4']],
  ['not_in_last excludes null', { attr: 'birthdate', op: 'not_in_last', value: { amount: 1, unit: 'days' } }, ['c1', 'c2', 'c5', 'c6']],
  ['in_month 6', { attr: 'birthdate', op: 'in_month', value: 6 }, ['c1', 'c4']],
  ['in_month current (June)', { attr: 'birthdate', op: 'in_month', value: 'current' }, ['c1', 'c4']],
  ['in_month 12', { attr: 'birthdate', op: 'in_month', value: 12 }, ['c2']],
  ['in_month 2', { attr: 'birthdate', op: 'in_month', value: 2 }, ['c5']],
  ['is_empty', { attr: 'birthdate', op: 'is_empty' }, ['c3']],
  ['is_not_empty', { attr: 'birthdate', op: 'is_not_empty' }, ['c1', 'c2', 'c4', 'c5', 'c6']],
];

const DATETIME_CASES: Case[] = [
  ['in_last: (now - 1 day, now] — the boundary is out, now is in, the future is out', { attr: 'created_at', op: 'in_last', value: { amount: 1, unit: 'days' } }, ['c1', 'c4']],
  ['in_last in hours', { attr: 'created_at', op: 'in_last', value: { amount: 24, unit: 'hours' } }, ['c1', 'c4']],
  ['in_last in minutes', { attr: 'created_at', op: 'in_last', value: { amount: 1440, unit: 'minutes' } }, ['c1', 'c4']],
  ['in_last in weeks', { attr: 'created_at', op: 'in_last', value: { amount: 1, unit: 'weeks' } }, ['c1', 'c2', 'c4', 'c6']],
  ['not_in_last: non-null values outside, the future included', { attr: 'created_at', op: 'not_in_last', value: { amount: 1, unit: 'days' } }, ['c2', 'c5', 'c6']],
  ['eq', { attr: 'created_at', op: 'eq', value: '2024-06-01T12:00:00Z' }, ['c1']],
  ['eq the same instant with an offset', { attr: 'created_at', op: 'eq', value: '2024-06-01T14:00:00+02:00' }, ['c1']],
  ['ne excludes null', { attr: 'created_at', op: 'ne', value: '2024-06-01T12:00:00Z' }, ['c2', 'c4', 'c5', 'c6']],
  ['before is strict', { attr: 'created_at', op: 'before', value: '2024-06-01T12:00:00Z' }, ['c2', 'c4', 'c6']],
  ['lt', { attr: 'created_at', op: 'lt', value: '2024-06-01T12:00:00Z' }, ['c2', 'c4', 'c6']],
  ['after is strict', { attr: 'created_at', op: 'after', value: '2024-06-01T12:00:00Z' }, ['c5']],
  ['gt', { attr: 'created_at', op: 'gt', value: '2024-06-01T12:00:00Z' }, ['c5']],
  ['lte', { attr: 'created_at', op: 'lte', value: '2024-06-01T12:00:00Z' }, ['c1', 'c2', 'c4', 'c6']],
  ['gte', { attr: 'created_at', op: 'gte', value: '2024-06-01T12:00:00Z' }, ['c1', 'c5']],
  ['between is inclusive at both ends', { attr: 'created_at', op: 'between', value: ['2024-05-31T12:00:00Z', '2024-06-01T12:00:00Z'] }, ['c1', 'c2', 'c4']],
  ['before a date means before its midnight', { attr: 'created_at', op: 'before', value: '2024-06-01' }, ['c2', 'c4', 'c6']],
  ['in_month current', { attr: 'created_at', op: 'in_month', value: 'current' }, ['c1', 'c5']],
  ['in_month 5', { attr: 'created_at', op: 'in_month', value: 5 }, ['c2', 'c4', 'c6']],
  ['is_empty', { attr: 'created_at', op: 'is_empty' }, ['c3']],
  ['is_not_empty', { attr: 'created_at', op: 'is_not_empty' }, ['c1', 'c2', 'c4', 'c5', 'c6']],
];

// c1 → Software/1000, c2 → software/500, c3 → dangling, c4 → no account, c5 → all null, c6 → ''/0
const RELATED_CASES: Case[] = [
  ['eq through the relation', { attr: 'account.industry', op: 'eq', value: 'Software' }, ['c1']],
  ['ne: a dangling or missing relation matches nothing', { attr: 'account.industry', op: 'ne', value: 'Software' }, ['c2', 'c6']],
  ['contains through the relation', { attr: 'account.industry', op: 'contains', value: 'SOFT' }, ['c1', 'c2']],
  ['not_contains: dangling excluded', { attr: 'account.industry', op: 'not_contains', value: 'soft' }, ['c6']],
  ['is_empty: dangling, missing, null and empty', { attr: 'account.industry', op: 'is_empty' }, ['c3', 'c4', 'c5', 'c6']],
  ['is_not_empty', { attr: 'account.industry', op: 'is_not_empty' }, ['c1', 'c2']],
  ['number through the relation', { attr: 'account.employees', op: 'gt', value: 500 }, ['c1']],
  ['lte through the relation', { attr: 'account.employees', op: 'lte', value: 500 }, ['c2', 'c6']],
  ['not_in through the relation', { attr: 'account.employees', op: 'not_in', value: [1000] }, ['c2', 'c6']],
  ['datetime through the relation', { attr: 'account.created_at', op: 'in_last', value: { amount: 1, unit: 'days' } }, ['c1']],
  ['two conditions on the same relation', { all: [{ attr: 'account.industry', op: 'contains', value: 'soft' }, { attr: 'account.employees', op: 'gte', value: 1000 }] }, ['c1']],
  ['the foreign key itself', { attr: 'account_id', op: 'eq', value: 'a-missing' }, ['c3']],
];

const LOGIC_CASES: Case[] = [
  ['not is the complement within all contacts (nulls included)', { not: { attr: 'state', op: 'eq', value: 'AZ' } }, ['c2', 'c3', 'c4', 'c5', 'c6']],
  ['not of a relation condition includes dangling references', { not: { attr: 'account.employees', op: 'gt', value: 500 } }, ['c2', 'c3', 'c4', 'c5', 'c6']],
  ['not of is_empty', { not: { attr: 'state', op: 'is_empty' } }, ['c1', 'c2', 'c4', 'c6']],
  ['not not', { not: { not: { attr: 'score', op: 'gt', value: 0 } } }, ['c1', 'c2', 'c4']],
  ['all', { all: [{ attr: 'state', op: 'is_not_empty' }, { attr: 'score', op: 'gte', value: 50 }] }, ['c1', 'c4']],
  ['any', { any: [{ attr: 'state', op: 'eq', value: 'NY' }, { attr: 'score', op: 'eq', value: 0 }] }, ['c5', 'c6']],
  ['all of one', { all: [{ attr: 'state', op: 'eq', value: 'az' }] }, ['c2']],
  [
    'nested any / all / not',
    {
      any: [
        { all: [{ attr: 'email_consent', op: 'eq', value: true }, { not: { attr: 'score', op: 'lt', value: 50 } }] },
        { all: [{ attr: 'account.industry', op: 'eq', value: 'software' }, { attr: 'city', op: 'starts_with', value: 'p' }] },
      ],
    },
    ['c1', 'c2', 'c4'],
  ],
  ['not of any', { not: { any: [{ attr: 'state', op: 'contains', value: 'a' }, { attr: 'state', op: 'is_empty' }] } }, ['c6']],
];

describe('operators and null semantics', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await memoryEngine();
    await seed(engine, DATA);
  });

  afterAll(async () => {
    await engine?.close();
  });

  const check = async (where: Condition, expected: string[]): Promise<void> => {
    const query = { blocks: [{ kind: 'profile' as const, where }] };
    expect(await evaluate(engine, query)).toEqual(expected);
    const reference = referenceMembers(query, { contacts: DATA.contacts!, accounts: DATA.accounts!, interactions: [] }, { now: new Date(TEST_NOW) });
    expect(sorted(reference)).toEqual(expected);
  };

  const groups: [string, Case[]][] = [
    ['string', STRING_CASES],
    ['number', NUMBER_CASES],
    ['boolean', BOOLEAN_CASES],
    ['date', DATE_CASES],
    ['datetime', DATETIME_CASES],
    ['related attributes (account.*)', RELATED_CASES],
    ['all / any / not', LOGIC_CASES],
  ];
  for (const [type, cases] of groups) {
    describe(type, () => {
      for (const [title, where, expected] of cases) {
        it(title, () => check(where, expected));
      }
    });
  }

  it('a custom attribute is queryable once added, null for existing contacts', async () => {
    await engine.addAttribute('contact', 'tier', 'string');
    await engine.store.run(`UPDATE contacts SET tier = $1 WHERE id = $2`, ['gold', 'c2']);
    const q = (where: Condition) => evaluate(engine, { blocks: [{ kind: 'profile', where }] });
    expect(await q({ attr: 'tier', op: 'eq', value: 'gold' })).toEqual(['c2']);
    expect(await q({ attr: 'tier', op: 'is_empty' })).toEqual(EVERYONE.filter((id) => id !== 'c2'));
  });
});
