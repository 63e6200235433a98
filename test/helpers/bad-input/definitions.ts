import { rawNumber, BAD, REFUSED, TOO_BIG, type BadCase } from './types.js';
import { BAD_DATES, BAD_DATETIMES, CONTROLS, INJECTIONS, longText, NON_FINITE } from './values.js';

/** A bad definition and the answers the contract allows for it. */
interface BadDefinition {
  why: string;
  /** The definition, or its raw JSON text (for keys an object literal cannot carry). */
  def?: unknown;
  raw?: string;
  expect: readonly number[];
  path?: string;
}

/** A segment reference the engine cannot follow: refused at save (400/422), or not found (404). */
const UNKNOWN_SEGMENT = [400, 404, 422] as const;

const cmp = (attr: string, op: string, value?: unknown) => ({ attr, op, ...(value === undefined ? {} : { value }) });
const profile = (where: unknown, relation?: string) => ({ ...(relation ? { relation } : {}), kind: 'profile', where });
const behavioral = (extra: Record<string, unknown>, interaction = 'email_open') => ({ kind: 'behavioral', interaction, ...extra });
const NAME = 'Bad input';
const dynamic = (...blocks: unknown[]) => ({ name: NAME, type: 'dynamic', query: { blocks } });
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const onProfile = (where: unknown) => dynamic(profile(where));
const AZ = cmp('state', 'eq', 'AZ');
const values = (n: number): string[] => Array.from({ length: n }, (_v, i) => `v${i}`);

/** `depth` groups, each the only block of the one around it. */
function nestedGroups(depth: number): unknown {
  let block: unknown = profile({ all: [AZ] });
  for (let i = 0; i < depth; i++) block = { kind: 'group', blocks: [block] };
  return dynamic(block);
}

/** A condition `depth` levels deep, alternating the given wrappers. */
function nestedCondition(depth: number, wrappers: readonly ('all' | 'any' | 'not')[]): unknown {
  let c: unknown = AZ;
  for (let i = 0; i < depth; i++) {
    const w = wrappers[i % wrappers.length]!;
    c = w === 'not' ? { not: c } : { [w]: [c] };
  }
  return onProfile(c);
}

/** Every way a definition can be bad: shape, bounds, types, references, and hostile text. */
export function badDefinitions(): BadDefinition[] {
  const d: BadDefinition[] = [
    // The envelope.
    { why: 'no name', def: { type: 'dynamic', query: { blocks: [profile(AZ)] } }, expect: BAD, path: 'name' },
    { why: 'name 5, a number', def: { ...onProfile(AZ), name: 5 }, expect: BAD, path: 'name' },
    { why: 'an empty name', def: { ...onProfile(AZ), name: '' }, expect: BAD, path: 'name' },
    { why: 'a name of 4,097 characters', def: { ...onProfile(AZ), name: longText() }, expect: BAD, path: 'name' },
    ...CONTROLS.map((c) => ({ why: `a name with control characters ${JSON.stringify(c)}`, def: { ...onProfile(AZ), name: `Bad ${c}` }, expect: BAD, path: 'name' })),
    { why: 'a description of 4,097 characters', def: { ...onProfile(AZ), description: longText() }, expect: BAD, path: 'description' },
    { why: 'type "smart"', def: { ...onProfile(AZ), type: 'smart' }, expect: BAD, path: 'type' },
    { why: 'an unknown field "owner"', def: { ...onProfile(AZ), owner: 'me' }, expect: BAD },
    { why: 'a "constructor" field', def: { ...onProfile(AZ), constructor: 'x' }, expect: BAD },
    { why: 'a "prototype" field', def: { ...onProfile(AZ), prototype: { admin: true } }, expect: BAD },
    { why: 'a "__proto__" field', raw: `{"__proto__":{"admin":true},${JSON.stringify(onProfile(AZ)).slice(1)}`, expect: BAD },
    { why: 'a "__proto__" key in a condition', raw: JSON.stringify(onProfile(AZ)).replace('{"attr"', '{"__proto__":{"x":1},"attr"'), expect: BAD },
    ...['UPPER', 'x'.repeat(65), ...INJECTIONS, ...CONTROLS].map((id) => ({ why: `id ${JSON.stringify(id.length > 20 ? `${id.slice(0, 10)}… (${id.length})` : id)}`, def: { ...onProfile(AZ), id }, expect: BAD, path: 'id' })),
    { why: 'a dynamic segment with no query', def: { name: 'Bad', type: 'dynamic' }, expect: REFUSED },
    { why: 'query as an array', def: { name: 'Bad', type: 'dynamic', query: [profile(AZ)] }, expect: BAD },
    { why: 'no blocks', def: dynamic(), expect: BAD },
    { why: 'blocks as an object', def: { name: 'Bad', type: 'dynamic', query: { blocks: profile(AZ) } }, expect: BAD },
    { why: 'a block of kind "sql"', def: dynamic({ kind: 'sql', sql: 'SELECT 1' }), expect: BAD },
    { why: 'relation "xor"', def: dynamic(profile(AZ), profile(AZ, 'xor')), expect: BAD },
    { why: 'a compound segment of profile blocks', def: { ...onProfile(AZ), type: 'compound' }, expect: REFUSED },
    { why: 'members of numbers', def: { name: 'Bad', type: 'static', members: [1, 2] }, expect: BAD },

    // Attributes and operators.
    ...['nickname', `state; ${INJECTIONS[0]}`, INJECTIONS[1], '__proto__', 'constructor', 'prototype', 'toString', 'account.__proto__', 'account.constructor', 'state\u0000', longText()].map((attr) => ({
      why: `attribute ${JSON.stringify(attr.length > 40 ? `${attr.slice(0, 10)}… (${attr.length})` : attr)}`,
      def: onProfile(cmp(attr, 'eq', 'x')),
      expect: REFUSED,
    })),
    { why: 'op "regex"', def: onProfile(cmp('state', 'regex', '.*')), expect: BAD },
    { why: 'a condition with no op', def: onProfile({ attr: 'state', value: 'AZ' }), expect: BAD },
    { why: 'a condition that is both "all" and a comparison', def: onProfile({ all: [AZ], attr: 'state', op: 'eq', value: 'AZ' }), expect: BAD },
    { why: 'an empty "all"', def: onProfile({ all: [] }), expect: BAD },
    { why: '"any" not an array', def: onProfile({ any: AZ }), expect: BAD },
    { why: '"not" of an array', def: onProfile({ not: [AZ] }), expect: BAD },
    { why: 'score eq "5" (a string for a number)', def: onProfile(cmp('score', 'eq', '5')), expect: REFUSED },
    { why: 'score eq true', def: onProfile(cmp('score', 'eq', true)), expect: REFUSED },
    { why: 'state eq 5 (a number for a string)', def: onProfile(cmp('state', 'eq', 5)), expect: REFUSED },
    { why: 'email_consent eq "yes"', def: onProfile(cmp('email_consent', 'eq', 'yes')), expect: REFUSED },
    { why: 'state eq with no value', def: onProfile(cmp('state', 'eq')), expect: REFUSED },
    ...NON_FINITE.slice(0, 2).map((n) => ({ why: `score gt ${n.why}`, def: onProfile(cmp('score', 'gt', n.value)), expect: REFUSED })),
    { why: 'created_at before -1e308 (a number for a datetime)', def: onProfile(cmp('created_at', 'before', -1e308)), expect: REFUSED },
    { why: 'score between one value', def: onProfile(cmp('score', 'between', [1])), expect: REFUSED },
    { why: 'score between three values', def: onProfile(cmp('score', 'between', [1, 2, 3])), expect: REFUSED },
    { why: 'score between ["a", "b"]', def: onProfile(cmp('score', 'between', ['a', 'b'])), expect: REFUSED },
    { why: 'state in "AZ" (not a list)', def: onProfile(cmp('state', 'in', 'AZ')), expect: REFUSED },
    { why: 'state in 10,001 values', def: onProfile(cmp('state', 'in', values(10_001))), expect: BAD },
    { why: 'state not_in 100,000 values', def: onProfile(cmp('state', 'not_in', values(100_000))), expect: TOO_BIG },
    { why: 'state eq a string of 4,097 characters', def: onProfile(cmp('state', 'eq', longText())), expect: BAD },
    { why: 'state contains a string of 4,097 characters', def: onProfile(cmp('state', 'contains', longText())), expect: BAD },
    { why: 'state in a list holding a string of 4,097 characters', def: onProfile(cmp('state', 'in', ['AZ', longText()])), expect: BAD },
    ...['2023-02-29', '0000-01-01', '10000-01-01', BAD_DATES[3]].map((v) => ({ why: `birthdate after ${v}`, def: onProfile(cmp('birthdate', 'after', v)), expect: REFUSED })),
    ...BAD_DATETIMES.slice(0, 4).map((v) => ({ why: `created_at before ${v}`, def: onProfile(cmp('created_at', 'before', v)), expect: REFUSED })),
    { why: 'created_at in_last 1e300 days', def: onProfile(cmp('created_at', 'in_last', { amount: rawNumber('1e300'), unit: 'days' })), expect: REFUSED },
    { why: 'created_at in_last 9007199254740993 minutes', def: onProfile(cmp('created_at', 'in_last', { amount: rawNumber('9007199254740993'), unit: 'minutes' })), expect: REFUSED },
    { why: 'created_at in_last 6,000 weeks (over 100 years)', def: onProfile(cmp('created_at', 'in_last', { amount: 6_000, unit: 'weeks' })), expect: REFUSED },
    { why: 'created_at in_last 0 days', def: onProfile(cmp('created_at', 'in_last', { amount: 0, unit: 'days' })), expect: REFUSED },
    { why: 'created_at not_in_last 3 years (unknown unit)', def: onProfile(cmp('created_at', 'not_in_last', { amount: 3, unit: 'years' })), expect: REFUSED },

    // Behavioral blocks.
    ...['email_opened', INJECTIONS[0], `email_open${CONTROLS[0]}`, longText()].map((t) => ({ why: `interaction ${JSON.stringify(t.length > 40 ? `${t.slice(0, 10)}… (${t.length})` : t)}`, def: dynamic(behavioral({}, t)), expect: REFUSED })),
    { why: 'count.value 1e300', def: dynamic(behavioral({ count: { op: 'gte', value: rawNumber('1e300') } })), expect: BAD, path: 'count' },
    { why: 'count.value -1e308', def: dynamic(behavioral({ count: { op: 'gte', value: -1e308 } })), expect: BAD, path: 'count' },
    { why: 'count.value 9007199254740993', def: dynamic(behavioral({ count: { op: 'eq', value: rawNumber('9007199254740993') } })), expect: BAD, path: 'count' },
    { why: 'count.value 1.5', def: dynamic(behavioral({ count: { op: 'gte', value: 1.5 } })), expect: BAD, path: 'count' },
    { why: 'count.value "1"', def: dynamic(behavioral({ count: { op: 'gte', value: '1' } })), expect: BAD, path: 'count' },
    { why: 'count.op "ne"', def: dynamic(behavioral({ count: { op: 'ne', value: 1 } })), expect: BAD, path: 'count' },
    { why: 'window.last.amount 1e20 days', def: dynamic(behavioral({ window: { last: { amount: rawNumber('1e20'), unit: 'days' } } })), expect: BAD, path: 'window' },
    { why: 'window.last.amount 1e309', def: dynamic(behavioral({ window: { last: { amount: rawNumber('1e309'), unit: 'days' } } })), expect: BAD, path: 'window' },
    { why: 'window.last 5,300 weeks (over 100 years)', def: dynamic(behavioral({ window: { last: { amount: 5_300, unit: 'weeks' } } })), expect: BAD, path: 'window' },
    { why: 'window.last.amount 0', def: dynamic(behavioral({ window: { last: { amount: 0, unit: 'days' } } })), expect: BAD, path: 'window' },
    { why: 'window.last.unit "years"', def: dynamic(behavioral({ window: { last: { amount: 1, unit: 'years' } } })), expect: BAD, path: 'window' },
    { why: 'a window with both last and from/to', def: dynamic(behavioral({ window: { last: { amount: 1, unit: 'days' }, from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00Z' } })), expect: BAD },
    ...[
      ['0000-01-01T00:00:00Z', '2024-01-01T00:00:00Z'],
      ['2024-01-01T00:00:00+25:00', '2024-02-01T00:00:00Z'],
      ['2024-01-01T00:00:00Z', '10000-01-01T00:00:00Z'],
      ['2023-02-29T00:00:00Z', '2024-01-01T00:00:00Z'],
      [INJECTIONS[0], '2024-01-01T00:00:00Z'],
    ].map(([from, to]) => ({ why: `window from ${from} to ${to}`, def: dynamic(behavioral({ window: { from, to } })), expect: REFUSED })),
    { why: 'a window from_ago shorter than its to_ago', def: dynamic(behavioral({ window: { from_ago: { amount: 30, unit: 'days' }, to_ago: { amount: 90, unit: 'days' } } })), expect: REFUSED, path: 'window' },
    { why: 'a window from_ago over 100 years', def: dynamic(behavioral({ window: { from_ago: { amount: 6_000, unit: 'weeks' }, to_ago: { amount: 1, unit: 'days' } } })), expect: REFUSED, path: 'window' },
    { why: 'a window from_ago with no to_ago', def: dynamic(behavioral({ window: { from_ago: { amount: 30, unit: 'days' } } })), expect: BAD, path: 'window' },
    { why: 'a window to_ago amount "5"', def: dynamic(behavioral({ window: { from_ago: { amount: 30, unit: 'days' }, to_ago: { amount: '5', unit: 'days' } } })), expect: BAD, path: 'window' },
    { why: 'a behavioral condition on an unknown property', def: dynamic(behavioral({ where: cmp('coupon', 'eq', 'X') })), expect: REFUSED },
    { why: 'a behavioral condition on "constructor"', def: dynamic(behavioral({ where: cmp('constructor', 'eq', 'X') })), expect: REFUSED },
    { why: 'a behavioral condition with campaign_id eq 5', def: dynamic(behavioral({ where: cmp('campaign_id', 'eq', 5) })), expect: REFUSED },

    // Segment blocks.
    ...['does-not-exist', INJECTIONS[0], `az${CONTROLS[0]}`].map((id) => ({ why: `a segment block on ${JSON.stringify(id)}`, def: dynamic({ kind: 'segment', segment: id }), expect: UNKNOWN_SEGMENT })),

    // Deep and wide.
    { why: '33 nested groups', def: nestedGroups(33), expect: BAD },
    { why: '900 nested groups', def: nestedGroups(900), expect: BAD },
    { why: 'a condition 33 "not"s deep', def: nestedCondition(33, ['not']), expect: BAD },
    { why: 'a condition 900 "all"s deep', def: nestedCondition(900, ['all']), expect: BAD },
    { why: 'a condition 40 levels of any/not/all', def: nestedCondition(40, ['any', 'not', 'all']), expect: BAD },
    { why: '1,001 and_also blocks', def: dynamic(profile(AZ), ...Array.from({ length: 1_000 }, () => profile(AZ, 'and_also'))), expect: BAD },
    { why: '5,000 or blocks', def: dynamic(profile(AZ), ...Array.from({ length: 4_999 }, (_v, i) => profile(cmp('state', 'eq', `S${i}`), 'or'))), expect: BAD },
    { why: '300 blocks of 3 conditions (1,200 nodes)', def: dynamic(...Array.from({ length: 300 }, (_v, i) => profile({ all: [AZ, cmp('score', 'gt', i), cmp('city', 'ne', 'X')] }, i ? 'or' : undefined))), expect: BAD },
    { why: 'a group of 1,001 blocks', def: dynamic({ kind: 'group', blocks: [profile(AZ), ...Array.from({ length: 1_000 }, () => profile(AZ, 'or'))] }), expect: BAD },
    { why: 'an "any" of 1,001 comparisons', def: onProfile({ any: Array.from({ length: 1_001 }, (_v, i) => cmp('score', 'eq', i)) }), expect: BAD },
  ];
  return d;
}

/**
 * Every bad definition sent to each route that takes one: create, estimate, and update of the
 * draft `az` (with its current ETag, so the definition is what is refused, not the version).
 */
export function definitionCases(): BadCase[] {
  const routes: { method: 'POST' | 'PUT'; url: string; ifMatch?: string }[] = [
    { method: 'POST', url: '/segments' },
    { method: 'POST', url: '/segments/estimate' },
    { method: 'PUT', url: '/segments/az', ifMatch: 'az' },
  ];
  const cases: BadCase[] = [];
  for (const r of routes) {
    badDefinitions().forEach((b, i) => {
      // Each its own name (so its own generated id): a definition wrongly saved must not make
      // the next ones fail for a taken id instead of for what is wrong with them.
      const def = isRecord(b.def) && b.def.name === NAME ? { ...b.def, name: `${NAME} ${i}` } : b.def;
      cases.push({
        name: `${r.method} ${r.url}: ${b.why}`,
        method: r.method,
        url: r.url,
        ...(r.ifMatch ? { ifMatch: r.ifMatch } : {}),
        ...(b.raw !== undefined ? { raw: b.raw } : { json: def }),
        expect: b.expect,
        ...(b.path ? { path: b.path } : {}),
      });
    });
  }
  return cases;
}
