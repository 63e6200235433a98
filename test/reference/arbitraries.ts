import fc from 'fast-check';
import type { Block, Comparison, Condition, Count, Duration, Query, Relation, Scalar, Window } from '../../src/definition/ast.js';
import { OPERATORS_BY_TYPE, TIME_UNIT_MS, parseInstant, valueShape } from '../../src/definition/operators.js';
import type { AttributeType } from '../../src/schema/types.js';
import type { DataSet, EntityRow, InteractionRow } from '../helpers/seed.js';

/**
 * fast-check generators for the differential test: small data sets whose values cluster
 * on the edges that matter (window boundaries, nulls, '' and mixed case), and definitions
 * drawing their values from the same pools so conditions actually hit records.
 */

const MAX_CONTACTS = 30;
const MAX_ACCOUNTS = 8;

const DAY = TIME_UNIT_MS.days;

const contactIds = Array.from({ length: MAX_CONTACTS }, (_, i) => `c${i}`);
// Ids past the generated range dangle: the related record does not exist.
const accountRefs = [...Array.from({ length: MAX_ACCOUNTS + 2 }, (_, i) => `a${i}`), 'a-missing'];

const INTERACTION_TYPES = ['email_open', 'email_click', 'form_submit'] as const;

// ---- value pools -------------------------------------------------------------------------

const STATES = ['AZ', 'az', 'Az', 'CA', 'NY', '', "O'Hare", '%', 'a_b'];
const CITIES = ['Phoenix', 'phoenix', 'PHOENIX', 'Tucson', 'São Paulo', 'SÃO PAULO', '', 'x%y'];
const INDUSTRIES = ['Software', 'software', 'SOFTWARE & SERVICES', 'Retail', ''];
const CAMPAIGNS = ['camp-1', 'CAMP-1', 'camp-2', ''];
const LINKS = ['https://x.io/a', 'HTTPS://X.IO/B', 'https://y.io/a', ''];
/** Fragments that make contains / starts_with / ends_with and orderings interesting. */
const FRAGMENTS = ['a', 'A', 'ph', 'PH', 'nix', 'z', 'ã', "'", '%', '_', 'soft', 'CAMP', '/a', "'; DROP TABLE contacts; --"];
const SCORES = [-1, 0, 0.5, 1, 10, 49.5, 50, 100];
const EMPLOYEES = [0, 10, 500, 501, 1000];

const STRING_POOLS: Record<string, string[]> = {
  state: STATES,
  city: CITIES,
  account_id: accountRefs,
  'account.industry': INDUSTRIES,
  campaign_id: CAMPAIGNS,
  link_url: LINKS,
};
const NUMBER_POOLS: Record<string, number[]> = { score: SCORES, 'account.employees': EMPLOYEES };

/** Offsets from `now` that sit on or next to the window and `in_last` boundaries. */
const BOUNDARY_OFFSETS = [
  0, 1, -1, 1000, DAY, -DAY, -DAY + 1, -DAY - 1, -TIME_UNIT_MS.hours, -TIME_UNIT_MS.minutes,
  -7 * DAY, -14 * DAY, -30 * DAY, -30 * DAY + 1, -30 * DAY - 1, -45 * DAY, -400 * DAY,
];

const isoAt = (ms: number): string => new Date(ms).toISOString();
/** The same instant written with a +02:00 offset (parsing of zoned values). */
const isoAtPlus2 = (ms: number): string => `${new Date(ms + 2 * TIME_UNIT_MS.hours).toISOString().slice(0, 19)}+02:00`;
const dateAt = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export interface Pools {
  /** Datetime values (ISO with zone) clustered around now. */
  datetime: fc.Arbitrary<string>;
  /** Date values (YYYY-MM-DD) around now's date, plus a few old ones. */
  date: fc.Arbitrary<string>;
  /** Any ISO instant a condition or window may name: dates or datetimes. */
  instant: fc.Arbitrary<string>;
}

export function pools(now: Date): Pools {
  const t = now.getTime();
  const offset = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...BOUNDARY_OFFSETS) },
    { weight: 2, arbitrary: fc.integer({ min: -60 * 86_400, max: 2 * 86_400 }).map((s) => s * 1000) },
  );
  const datetime = fc.oneof(
    { weight: 4, arbitrary: offset.map((o) => isoAt(t + o)) },
    { weight: 1, arbitrary: offset.map((o) => isoAtPlus2(t + o)) },
  );
  const date = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: -45, max: 3 }).map((d) => dateAt(t + d * DAY)) },
    { weight: 1, arbitrary: fc.constantFrom('1990-06-15', '1985-12-31', '2000-02-29', dateAt(t)) },
  );
  return { datetime, date, instant: fc.oneof(datetime, date) };
}

// ---- data sets ---------------------------------------------------------------------------

const nullable = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arb, { nil: null, freq: 4 });

export function dataSetArb(now: Date): fc.Arbitrary<DataSet> {
  const p = pools(now);
  const contact = fc.record({
    state: nullable(fc.constantFrom(...STATES)),
    city: nullable(fc.constantFrom(...CITIES)),
    score: nullable(fc.constantFrom(...SCORES)),
    email_consent: nullable(fc.boolean()),
    birthdate: nullable(p.date),
    created_at: nullable(p.datetime),
    account_id: nullable(fc.constantFrom(...accountRefs)),
  });
  const account = fc.record({
    industry: nullable(fc.constantFrom(...INDUSTRIES)),
    employees: nullable(fc.constantFrom(...EMPLOYEES)),
    created_at: nullable(p.datetime),
  });
  const interaction = fc.record({
    // `c-ghost` has interactions but is no contact: it must never become a member.
    contact_id: fc.constantFrom(...contactIds, 'c-ghost'),
    type: fc.constantFrom(...INTERACTION_TYPES),
    occurred_at: p.datetime,
    campaign_id: nullable(fc.constantFrom(...CAMPAIGNS)),
    link_url: nullable(fc.constantFrom(...LINKS)),
  });
  return fc
    .record({
      contacts: fc.array(contact, { maxLength: MAX_CONTACTS, size: 'max' }),
      accounts: fc.array(account, { maxLength: MAX_ACCOUNTS, size: 'max' }),
      interactions: fc.array(interaction, { maxLength: 80, size: 'max' }),
    })
    .map(({ contacts, accounts, interactions }) => ({
      contacts: contacts.map((c, i): EntityRow => ({ id: `c${i}`, ...c })),
      accounts: accounts.map((a, i): EntityRow => ({ id: `a${i}`, ...a })),
      interactions: interactions as InteractionRow[],
    }));
}

/** A pick of contact ids (some may not exist in the data set; callers filter). */
export const contactPickArb: fc.Arbitrary<string[]> = fc.subarray(contactIds);

// ---- definitions -------------------------------------------------------------------------

interface AttrSpec {
  attr: string;
  type: AttributeType;
}

export const CONTACT_ATTRS: readonly AttrSpec[] = [
  { attr: 'state', type: 'string' },
  { attr: 'city', type: 'string' },
  { attr: 'score', type: 'number' },
  { attr: 'email_consent', type: 'boolean' },
  { attr: 'birthdate', type: 'date' },
  { attr: 'created_at', type: 'datetime' },
  { attr: 'account_id', type: 'string' },
  { attr: 'account.industry', type: 'string' },
  { attr: 'account.employees', type: 'number' },
  { attr: 'account.created_at', type: 'datetime' },
];

export const INTERACTION_ATTRS: readonly AttrSpec[] = [
  { attr: 'campaign_id', type: 'string' },
  { attr: 'link_url', type: 'string' },
];

const durationArb: fc.Arbitrary<Duration> = fc.oneof(
  // Durations whose edge lands exactly on a boundary offset of the data pools.
  fc.constantFrom<Duration>(
    { amount: 1, unit: 'days' },
    { amount: 30, unit: 'days' },
    { amount: 7, unit: 'days' },
    { amount: 2, unit: 'weeks' },
    { amount: 1, unit: 'hours' },
    { amount: 1, unit: 'minutes' },
  ),
  fc.record({ amount: fc.integer({ min: 1, max: 60 }), unit: fc.constantFrom('minutes', 'hours', 'days', 'weeks') }),
);

function scalarArb(spec: AttrSpec, p: Pools): fc.Arbitrary<Scalar> {
  switch (spec.type) {
    case 'string':
      return fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...(STRING_POOLS[spec.attr] ?? [''])) },
        { weight: 1, arbitrary: fc.constantFrom(...FRAGMENTS) },
      );
    case 'number':
      return fc.oneof(fc.constantFrom(...(NUMBER_POOLS[spec.attr] ?? [0])), fc.integer({ min: -5, max: 1200 }));
    case 'boolean':
      return fc.boolean();
    case 'date':
    case 'datetime':
      return p.instant;
  }
}

function comparisonArb(attrs: readonly AttrSpec[], p: Pools): fc.Arbitrary<Comparison> {
  return fc
    .constantFrom(...attrs)
    .chain((spec) => fc.constantFrom(...OPERATORS_BY_TYPE[spec.type]).map((op) => ({ spec, op })))
    .chain(({ spec, op }): fc.Arbitrary<Comparison> => {
      const scalar = scalarArb(spec, p);
      const withValue = (value: fc.Arbitrary<Comparison['value']>): fc.Arbitrary<Comparison> =>
        value.map((v) => ({ attr: spec.attr, op, value: v }));
      switch (valueShape(op)) {
        case 'none':
          return fc.constant({ attr: spec.attr, op });
        case 'scalar':
          return withValue(scalar);
        case 'pair':
          return withValue(fc.tuple(scalar, scalar));
        case 'list':
          return withValue(fc.array(scalar, { minLength: 1, maxLength: 3 }));
        case 'duration':
          return withValue(durationArb);
        case 'month':
          return withValue(fc.constantFrom<Scalar>(1, 2, 5, 6, 7, 12, 'current'));
      }
    });
}

export function conditionArb(attrs: readonly AttrSpec[], p: Pools, depth: number): fc.Arbitrary<Condition> {
  const leaf = comparisonArb(attrs, p);
  if (depth <= 0) return leaf;
  const inner = conditionArb(attrs, p, depth - 1);
  return fc.oneof(
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(inner, { minLength: 1, maxLength: 3 }).map((all): Condition => ({ all })) },
    { weight: 1, arbitrary: fc.array(inner, { minLength: 1, maxLength: 3 }).map((any): Condition => ({ any })) },
    { weight: 1, arbitrary: inner.map((not): Condition => ({ not })) },
  );
}

const durationMs = (d: Duration): number => d.amount * TIME_UNIT_MS[d.unit];

function windowArb(p: Pools): fc.Arbitrary<Window> {
  return fc.oneof(
    durationArb.map((last): Window => ({ last })),
    fc.tuple(p.instant, p.instant).map(([a, b]): Window => {
      const [from, to] = parseInstant(a)! <= parseInstant(b)! ? [a, b] : [b, a];
      return { from, to };
    }),
    // Relative to now (SPEC §5.5): the longer duration is `from_ago`; equal lengths are refused.
    fc
      .tuple(durationArb, durationArb)
      .filter(([a, b]) => durationMs(a) !== durationMs(b))
      .map(([a, b]): Window => (durationMs(a) > durationMs(b) ? { from_ago: a, to_ago: b } : { from_ago: b, to_ago: a })),
  );
}

const countArb: fc.Arbitrary<Count> = fc.record({
  op: fc.constantFrom('gte', 'gt', 'eq', 'lte', 'lt'),
  value: fc.integer({ min: 0, max: 3 }),
});

export interface QueryOptions {
  /** Segment ids a `segment` block may reference (none: no segment blocks). */
  segments: readonly string[];
  /** How deep groups and conditions nest. */
  depth: number;
}

function behavioralArb(p: Pools): fc.Arbitrary<Block> {
  return fc
    .record({
      interaction: fc.constantFrom(...INTERACTION_TYPES),
      where: fc.option(conditionArb(INTERACTION_ATTRS, p, 1), { freq: 2 }),
      window: fc.option(windowArb(p), { freq: 3 }),
      count: fc.option(countArb, { freq: 3 }),
    })
    .map(({ interaction, where, window, count }): Block => ({
      kind: 'behavioral',
      interaction,
      // Optional fields are left out, not set to undefined: definitions are plain JSON.
      ...(where ? { where } : {}),
      ...(window ? { window } : {}),
      ...(count ? { count } : {}),
    }));
}

function blockArb(now: Date, opts: QueryOptions, depth: number): fc.Arbitrary<Block> {
  const p = pools(now);
  const profile = conditionArb(CONTACT_ATTRS, p, Math.min(depth, 2)).map((where): Block => ({ kind: 'profile', where }));
  const behavioral = behavioralArb(p);
  const options: fc.WeightedArbitrary<Block>[] = [
    { weight: 3, arbitrary: profile },
    { weight: 3, arbitrary: behavioral },
  ];
  if (opts.segments.length > 0) {
    options.push({ weight: 1, arbitrary: fc.constantFrom(...opts.segments).map((segment): Block => ({ kind: 'segment', segment })) });
  }
  if (depth > 0) {
    options.push({ weight: 1, arbitrary: blocksArb(now, opts, depth - 1).map((blocks): Block => ({ kind: 'group', blocks })) });
  }
  return fc.oneof(...options);
}

function blocksArb(now: Date, opts: QueryOptions, depth: number): fc.Arbitrary<Block[]> {
  const relation = fc.constantFrom<Relation>('or', 'and_also', 'but_not');
  return fc
    .tuple(blockArb(now, opts, depth), fc.array(fc.tuple(relation, blockArb(now, opts, depth)), { maxLength: 3 }))
    .map(([first, rest]) => [first, ...rest.map(([r, b]): Block => ({ ...b, relation: r }))]);
}

export function queryArb(now: Date, opts: QueryOptions): fc.Arbitrary<Query> {
  return blocksArb(now, opts, opts.depth).map((blocks) => ({ blocks }));
}

/**
 * Many small independent blocks joined by `or`: `estimate` counts each top-level block on
 * its own, so one cheap statement checks a dozen single comparisons and behavioral blocks
 * (the operator × type × edge-value space is too large to cover through whole queries).
 */
export function probeArb(now: Date): fc.Arbitrary<Query> {
  const p = pools(now);
  const block = fc.oneof(
    { weight: 3, arbitrary: comparisonArb(CONTACT_ATTRS, p).map((where): Block => ({ kind: 'profile', where })) },
    { weight: 1, arbitrary: behavioralArb(p) },
  );
  return fc
    .array(block, { minLength: 1, maxLength: 16, size: 'max' })
    .map((blocks) => ({ blocks: blocks.map((b, i): Block => (i === 0 ? b : { ...b, relation: 'or' })) }));
}
