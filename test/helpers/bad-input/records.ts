import { BAD, NOT_FOUND, TOO_BIG, type BadCase } from './types.js';
import { BAD_DATES, BAD_DATETIMES, CONTROLS, INJECTIONS, NON_FINITE, PROTO_KEYS } from './values.js';

/** A record kind's route, an existing id, and one attribute of each type (SPEC §1 default schema). */
interface Kind {
  route: 'contacts' | 'accounts' | 'leads';
  id: string;
  string: string;
  number: string;
  datetime: string;
  date?: string;
  boolean?: string;
}

export const KINDS: readonly Kind[] = [
  { route: 'contacts', id: 'c1', string: 'state', number: 'score', datetime: 'created_at', date: 'birthdate', boolean: 'email_consent' },
  { route: 'accounts', id: 'a1', string: 'industry', number: 'employees', datetime: 'created_at' },
  { route: 'leads', id: 'l1', string: 'topic', number: 'rating', datetime: 'created_at' },
];

/** A value that does not fit an attribute, and why. */
interface Misfit {
  attr: string;
  value: unknown;
  why: string;
}

/** Values of the wrong type, non-finite or out of range, and impossible dates, for each typed attribute of a kind. */
function misfits(k: Kind): Misfit[] {
  const out: Misfit[] = [
    { attr: k.number, value: '5', why: '"5", a string for a number' },
    { attr: k.number, value: true, why: 'true for a number' },
    { attr: k.number, value: [1], why: 'an array for a number' },
    ...NON_FINITE.map((n) => ({ attr: k.number, value: n.value, why: n.why })),
    { attr: k.number, value: `1; ${INJECTIONS[0]}`, why: 'an injection string for a number' },
    { attr: k.string, value: 5, why: '5, a number for a string' },
    { attr: k.string, value: { nested: 'x' }, why: 'an object for a string' },
    { attr: k.datetime, value: 1_700_000_000_000, why: 'epoch milliseconds for a datetime' },
    ...BAD_DATETIMES.map((d) => ({ attr: k.datetime, value: d, why: `datetime ${d}` })),
  ];
  if (k.boolean) {
    out.push(
      { attr: k.boolean, value: 'yes', why: '"yes" for a boolean' },
      { attr: k.boolean, value: 1, why: '1 for a boolean' },
      { attr: k.boolean, value: 'true', why: '"true", a string for a boolean' },
    );
  }
  if (k.date) out.push(...BAD_DATES.map((d) => ({ attr: k.date!, value: d, why: `date ${d}` })));
  return out;
}

/**
 * The batch upsert (`POST /{kind}`) and the single upsert (`PUT /{kind}/{id}`) of every record
 * kind, each with misfit values (path named), unknown and prototype attribute names, bad ids,
 * and a batch whose one bad record must keep its good neighbours out too.
 */
export function recordCases(): BadCase[] {
  const cases: BadCase[] = [];
  for (const k of KINDS) {
    const batch = `/${k.route}`;
    const one = `/${k.route}/${k.id}`;
    for (const m of misfits(k)) {
      // In a batch, behind a good record: all or nothing, and the path names the second record.
      cases.push({ name: `POST ${batch}: ${m.attr} ${m.why}`, method: 'POST', url: batch, json: [{ id: 'new-1', [k.string]: 'ok' }, { id: 'new-2', [m.attr]: m.value }], expect: BAD, path: `body[1].${m.attr}` });
    }
    // The single upsert gets a sample of the same (the batch covers them all).
    for (const m of misfits(k).filter((_m, i) => i % 3 === 0)) {
      cases.push({ name: `PUT ${one}: ${m.attr} ${m.why}`, method: 'PUT', url: one, json: { [m.attr]: m.value }, expect: BAD, path: `body.${m.attr}` });
    }
    const names = [...PROTO_KEYS.filter((p) => p !== '__proto__'), 'toString', 'nickname', `${k.string}; ${INJECTIONS[0]}`, '"id"', `${k.string}\u0000`];
    for (const attr of names) {
      cases.push({ name: `POST ${batch}: unknown attribute ${JSON.stringify(attr)}`, method: 'POST', url: batch, json: [{ id: 'new-1', [attr]: 'x' }], expect: BAD });
      cases.push({ name: `PUT ${one}: unknown attribute ${JSON.stringify(attr)}`, method: 'PUT', url: one, json: { [attr]: 'x' }, expect: BAD });
    }
    // __proto__ as a key cannot be built with an object literal (it sets the prototype): written as text.
    cases.push({ name: `POST ${batch}: a "__proto__" attribute`, method: 'POST', url: batch, raw: '[{"id":"new-1","__proto__":{"admin":true}}]', expect: BAD });
    cases.push({ name: `PUT ${one}: a "__proto__" attribute`, method: 'PUT', url: one, raw: '{"__proto__":{"polluted":"yes"}}', expect: BAD });
    cases.push({ name: `POST ${batch}: a "constructor.prototype" attribute`, method: 'POST', url: batch, raw: '[{"id":"new-1","constructor":{"prototype":{"admin":true}}}]', expect: BAD });

    for (const [id, why] of [
      [5, 'a number'],
      ['', 'empty'],
      [null, 'null'],
      [undefined, 'missing'],
      ...CONTROLS.map((c) => [c, `with control characters ${JSON.stringify(c)}`] as const),
    ] as const) {
      cases.push({ name: `POST ${batch}: id ${why}`, method: 'POST', url: batch, json: [{ ...(id === undefined ? {} : { id }), [k.string]: 'x' }], expect: BAD });
    }
    for (const c of CONTROLS) cases.push({ name: `PUT /${k.route}/{id}: id with control characters ${JSON.stringify(c)}`, method: 'PUT', url: `/${k.route}/${encodeURIComponent(c)}`, json: { [k.string]: 'x' }, expect: BAD });
    cases.push({ name: `PUT ${one}: body.id differs from the path`, method: 'PUT', url: one, json: { id: `${k.id}-other`, [k.string]: 'x' }, expect: BAD, path: 'body.id' });
    cases.push({ name: `PUT /${k.route}/{injection}: an injection id with a misfit value`, method: 'PUT', url: `/${k.route}/${encodeURIComponent(INJECTIONS[0])}`, json: { [k.number]: INJECTIONS[1] }, expect: BAD });
    cases.push({ name: `POST ${batch}: an empty batch`, method: 'POST', url: batch, json: [], expect: BAD });
    cases.push({ name: `POST ${batch}: 10,001 records (over the batch limit)`, method: 'POST', url: batch, json: Array.from({ length: 10_001 }, (_v, i) => ({ id: `n${i}` })), expect: TOO_BIG });
    cases.push({ name: `POST ${batch}: an object instead of an array`, method: 'POST', url: batch, json: { id: 'new-1' }, expect: BAD });
    cases.push({ name: `POST ${batch}: an array of strings`, method: 'POST', url: batch, json: ['new-1'], expect: BAD });
    cases.push({ name: `PUT ${one}: an array instead of an object`, method: 'PUT', url: one, json: [{ [k.string]: 'x' }], expect: BAD });

    // Deletes: bad bodies, and ids that do not exist (injections among them) change nothing.
    const del = `/${k.route}/delete`;
    cases.push({ name: `POST ${del}: ids not an array`, method: 'POST', url: del, json: { ids: k.id }, expect: BAD });
    cases.push({ name: `POST ${del}: ids of numbers`, method: 'POST', url: del, json: { ids: [1, 2] }, expect: BAD });
    cases.push({ name: `POST ${del}: no ids`, method: 'POST', url: del, json: { ids: [] }, expect: BAD });
    cases.push({ name: `POST ${del}: an unknown field beside ids`, method: 'POST', url: del, json: { ids: [k.id], cascade: true }, expect: BAD });
    cases.push({ name: `POST ${del}: 10,001 ids`, method: 'POST', url: del, json: { ids: Array.from({ length: 10_001 }, (_v, i) => `n${i}`) }, expect: TOO_BIG });
    for (const id of INJECTIONS) cases.push({ name: `DELETE /${k.route}/{${id}}: unknown (injection) id`, method: 'DELETE', url: `/${k.route}/${encodeURIComponent(id)}`, expect: NOT_FOUND });
  }
  return cases;
}

/** Interactions: the required fields mistyped or missing, properties of the wrong type or unknown, impossible instants, unknown types. */
export function interactionCases(): BadCase[] {
  const url = '/interactions';
  const good = { id: 'new-i', contact_id: 'c1', type: 'email_open', occurred_at: '2024-05-30T10:00:00Z' };
  const cases: BadCase[] = [];
  const variants: [string, Record<string, unknown>, string?][] = [
    ['contact_id 5, a number', { ...good, contact_id: 5 }, 'contact_id'],
    ['type 5, a number', { ...good, type: 5 }, 'type'],
    ['occurred_at as epoch milliseconds', { ...good, occurred_at: 1_717_000_000_000 }, 'occurred_at'],
    ['id 5, a number', { ...good, id: 5 }, 'id'],
    ['no contact_id', { id: 'new-i', type: 'email_open', occurred_at: good.occurred_at }],
    ['no occurred_at', { id: 'new-i', contact_id: 'c1', type: 'email_open' }],
    ['an unknown type', { ...good, type: 'email_opened' }, 'type'],
    ['an injection string as its type', { ...good, type: INJECTIONS[0] }, 'type'],
    ['a type with control characters', { ...good, type: `email_open${CONTROLS[1]}` }, 'type'],
    ['a property of the wrong type', { ...good, campaign_id: 5 }, 'campaign_id'],
    ['a property object of the wrong type', { ...good, properties: { campaign_id: true } }],
    ['properties as an array', { ...good, properties: ['spring'] }],
    ['an unknown property', { ...good, coupon: 'X' }],
    ['an unknown property with an injection name', { ...good, [`campaign_id'; ${INJECTIONS[0]}`]: 'x' }],
    ['a "constructor" property', { ...good, constructor: 'x' }],
    ['a "prototype" property', { ...good, prototype: 'x' }],
    ...BAD_DATETIMES.map((d): [string, Record<string, unknown>, string] => [`occurred_at ${d}`, { ...good, occurred_at: d }, 'occurred_at']),
  ];
  for (const [why, record, field] of variants) {
    cases.push({ name: `POST ${url}: ${why}`, method: 'POST', url, json: [{ ...good, id: 'new-ok' }, record], expect: BAD, ...(field ? { path: `body[1].${field}` } : {}) });
  }
  cases.push({ name: `POST ${url}: a "__proto__" property`, method: 'POST', url, raw: `[${JSON.stringify(good).slice(0, -1)},"__proto__":{"admin":true}}]`, expect: BAD });
  cases.push({ name: `POST ${url}: an empty batch`, method: 'POST', url, json: [], expect: BAD });
  cases.push({ name: `POST ${url}: one interaction, not in an array`, method: 'POST', url, json: good, expect: BAD });
  cases.push({ name: `POST ${url}: 50,001 interactions (over the batch limit)`, method: 'POST', url, json: Array.from({ length: 50_001 }, () => ({ contact_id: 'c1', type: 'email_open', occurred_at: good.occurred_at })), expect: TOO_BIG });
  return cases;
}
