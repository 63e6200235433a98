import { BAD, NOT_FOUND, REFUSED, TOO_BIG, type BadCase } from './types.js';
import { CONTROLS, INJECTIONS, longText } from './values.js';

/** A segment id that cannot exist, for each hostile string (encoded into the path). */
const hostileIds = (): string[] => ['does-not-exist', ...INJECTIONS, ...CONTROLS].map(encodeURIComponent);

/**
 * The segment lifecycle and membership routes (fixture: draft `az` at version 1, live
 * `live-az` used by the compound draft `uses-live`, static `vip` holding c1): unknown and hostile
 * ids, If-Match abuse, actions the segment's state forbids, and bad member lists.
 */
export function segmentCases(): BadCase[] {
  const cases: BadCase[] = [];
  const edit = { name: 'Arizona', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } }] } };
  for (const id of hostileIds()) {
    cases.push({ name: `PUT /segments/{${decodeURIComponent(id)}}: unknown id`, method: 'PUT', url: `/segments/${id}`, headers: { 'if-match': '"1"' }, json: edit, expect: NOT_FOUND });
    cases.push({ name: `DELETE /segments/{${decodeURIComponent(id)}}: unknown id`, method: 'DELETE', url: `/segments/${id}`, expect: NOT_FOUND });
    for (const action of ['go-live', 'refresh', 'stop'])
      cases.push({ name: `POST /segments/{${decodeURIComponent(id)}}/${action}: unknown id`, method: 'POST', url: `/segments/${id}/${action}`, expect: NOT_FOUND });
    cases.push({ name: `POST /segments/{${decodeURIComponent(id)}}/members: unknown id`, method: 'POST', url: `/segments/${id}/members`, json: { add: ['c2'] }, expect: NOT_FOUND });
  }
  // If-Match: missing, not an ETag, stale.
  cases.push({ name: 'PUT /segments/az: no If-Match', method: 'PUT', url: '/segments/az', json: edit, expect: [428] });
  for (const tag of ['abc', '"1" OR 1=1', INJECTIONS[0], '"-1"', '"1.5"'])
    cases.push({ name: `PUT /segments/az: If-Match ${JSON.stringify(tag)}`, method: 'PUT', url: '/segments/az', headers: { 'if-match': tag }, json: edit, expect: BAD, path: 'if-match' });
  cases.push({ name: 'PUT /segments/az: a stale If-Match "7"', method: 'PUT', url: '/segments/az', headers: { 'if-match': '"7"' }, json: edit, expect: [409, 412] });
  cases.push({ name: 'PUT /segments/az: If-Match 99999999999999999999 (past 2^53)', method: 'PUT', url: '/segments/az', headers: { 'if-match': '"99999999999999999999"' }, json: edit, expect: [400, 409, 412] });
  // Actions the state forbids.
  cases.push({ name: 'DELETE /segments/live-az: a compound segment uses it', method: 'DELETE', url: '/segments/live-az', expect: [409] });
  cases.push({ name: 'POST /segments/az/stop: a draft is not live', method: 'POST', url: '/segments/az/stop', expect: [409] });
  cases.push({ name: 'POST /segments/az/refresh: a draft is not live', method: 'POST', url: '/segments/az/refresh', expect: [409] });
  cases.push({ name: 'PUT /segments/vip: a static segment made dynamic without a query', method: 'PUT', url: '/segments/vip', ifMatch: 'vip', json: { name: 'VIP', type: 'dynamic' }, expect: REFUSED });
  cases.push({ name: 'PUT /segments/live-az: a cycle (it would contain the segment that uses it)', method: 'PUT', url: '/segments/live-az', ifMatch: 'live-az', json: { name: 'Cycle', type: 'compound', query: { blocks: [{ kind: 'segment', segment: 'uses-live' }] } }, expect: [400, 409, 422] });
  cases.push({ name: 'PUT /segments/az: a segment block on itself', method: 'PUT', url: '/segments/az', ifMatch: 'az', json: { name: 'Self', type: 'compound', query: { blocks: [{ kind: 'segment', segment: 'az' }] } }, expect: [400, 409, 422] });
  cases.push({ name: 'POST /segments: an id that exists already', method: 'POST', url: '/segments', json: { ...edit, id: 'az' }, expect: [409] });
  // Members of a static segment.
  const members = '/segments/vip/members';
  for (const [why, body, expect] of [
    ['no change given', {}, BAD],
    ['add of numbers', { add: [1, 2] }, BAD],
    ['add of an empty id', { add: [''] }, BAD],
    ['add as a string', { add: 'c2' }, BAD],
    ['an unknown field "replace"', { add: ['c2'], replace: true }, BAD],
    ['a "constructor" field', { add: ['c2'], constructor: ['c3'] }, BAD],
    ['add of ids with control characters', { add: [...CONTROLS] }, BAD],
    ['add of 100,001 ids', { add: Array.from({ length: 100_001 }, (_v, i) => `c${i}`) }, TOO_BIG],
  ] as const) {
    cases.push({ name: `POST ${members}: ${why}`, method: 'POST', url: members, json: body, expect });
  }
  cases.push({ name: 'POST /segments/vip/members: a "__proto__" field', method: 'POST', url: members, raw: '{"add":["c2"],"__proto__":{"remove":["c1"]}}', expect: BAD });
  cases.push({ name: 'POST /segments/az/members: a dynamic segment has no hand-picked members', method: 'POST', url: '/segments/az/members', json: { add: ['c2'] }, expect: [400, 409] });
  return cases;
}

/** Template instantiation: unknown and hostile names, bad parameters (text as in a form) and fields. */
export function templateCases(): BadCase[] {
  const cases: BadCase[] = [];
  for (const name of ['no-such-template', ...INJECTIONS, '__proto__', 'constructor'])
    cases.push({ name: `POST /templates/{${name}}/instantiate: unknown template`, method: 'POST', url: `/templates/${encodeURIComponent(name)}/instantiate`, json: {}, expect: NOT_FOUND });
  const url = '/templates/email-openers/instantiate';
  for (const [why, body, expect] of [
    ['days 30, a number (parameters are text)', { params: { days: 30 } }, BAD],
    ['days "abc"', { params: { days: 'abc' } }, REFUSED],
    ['days "1e20" (over 100 years)', { params: { days: '1e20' } }, REFUSED],
    ['days "1e309"', { params: { days: '1e309' } }, REFUSED],
    ['days "-5"', { params: { days: '-5' } }, REFUSED],
    ['days "40000" (over 100 years)', { params: { days: '40000' } }, REFUSED],
    ['an unknown parameter', { params: { weeks: '3' } }, REFUSED],
    ['a "constructor" parameter', { params: { constructor: 'x' } }, REFUSED],
    ['campaign_id of 4,097 characters', { params: { campaign_id: longText() } }, REFUSED],
    ['id "UPPER"', { id: 'UPPER' }, BAD],
    ['an injection id', { id: INJECTIONS[0] }, BAD],
    ['an empty name', { name: '' }, BAD],
    ['a name with control characters', { name: `Openers ${CONTROLS[0]}` }, BAD],
    ['save "yes"', { save: 'yes' }, BAD],
    ['an unknown field', { params: {}, owner: 'me' }, BAD],
    ['params as an array', { params: ['30'] }, BAD],
    ['an id that exists already', { id: 'az' }, [409]],
  ] as const) {
    cases.push({ name: `POST ${url}: ${why}`, method: 'POST', url, json: body, expect });
  }
  cases.push({ name: `POST ${url}: a "__proto__" in params`, method: 'POST', url, raw: '{"params":{"__proto__":{"days":"1"}}}', expect: BAD });
  return cases;
}

/** The schema registry: names that are not identifiers, prototype names, existing names, wrong types. */
export function schemaCases(): BadCase[] {
  const cases: BadCase[] = [];
  const badNames = ['Upper', '1st', 'with space', 'x'.repeat(64), '', ...INJECTIONS, ...CONTROLS, '__proto__', 'constructor', 'prototype', 'id'];
  for (const name of badNames) {
    const shown = JSON.stringify(name.length > 20 ? `${name.slice(0, 10)}… (${name.length})` : name);
    cases.push({ name: `POST /schema/attributes: name ${shown}`, method: 'POST', url: '/schema/attributes', json: { entity: 'contact', name, type: 'string' }, expect: BAD });
    // "id" is a column of every record, not a name an interaction type could clash with.
    if (name !== 'id') cases.push({ name: `POST /schema/interaction-types: name ${shown}`, method: 'POST', url: '/schema/interaction-types', json: { name }, expect: BAD });
  }
  for (const [why, body, expect] of [
    ['an existing attribute', { entity: 'contact', name: 'state', type: 'string' }, [400, 409]],
    ['entity "widget"', { entity: 'widget', name: 'size', type: 'string' }, BAD],
    ['type "json"', { entity: 'contact', name: 'prefs', type: 'json' }, BAD],
    ['queryable "yes"', { entity: 'contact', name: 'tier', type: 'string', queryable: 'yes' }, BAD],
    ['queryable 1', { entity: 'contact', name: 'tier', type: 'string', queryable: 1 }, BAD],
    ['name 5', { entity: 'contact', name: 5, type: 'string' }, BAD],
    ['an unknown field', { entity: 'contact', name: 'tier', type: 'string', default: 'gold' }, BAD],
  ] as const) {
    cases.push({ name: `POST /schema/attributes: ${why}`, method: 'POST', url: '/schema/attributes', json: body, expect });
  }
  cases.push({ name: 'POST /schema/interaction-types: an existing type', method: 'POST', url: '/schema/interaction-types', json: { name: 'email_open' }, expect: [400, 409] });
  cases.push({ name: 'POST /schema/interaction-types: queryable "no"', method: 'POST', url: '/schema/interaction-types', json: { name: 'webinar', queryable: 'no' }, expect: BAD });
  for (const [why, body, expect] of [
    ['an unknown attribute', { entity: 'contact', name: 'nickname', queryable: false }, [400, 404]],
    ['an injection name', { entity: 'contact', name: INJECTIONS[0], queryable: false }, [400, 404]],
    ['a "constructor" attribute', { entity: 'contact', name: 'constructor', queryable: false }, [400, 404]],
    ['a "__proto__" interaction type', { entity: 'interaction_type', name: '__proto__', queryable: false }, [400, 404]],
    ['queryable "no"', { entity: 'contact', name: 'state', queryable: 'no' }, BAD],
    ['entity "segment"', { entity: 'segment', name: 'name', queryable: false }, BAD],
    ['no queryable', { entity: 'contact', name: 'state' }, BAD],
  ] as const) {
    cases.push({ name: `POST /schema/queryable: ${why}`, method: 'POST', url: '/schema/queryable', json: body, expect });
  }
  for (const [why, body, expect] of [
    ['a label with a line break', { entity: 'contact', name: 'state', label: 'State\nof residence' }, BAD],
    ['a label with an escape sequence', { entity: 'contact', name: 'state', label: `State ${CONTROLS[1]}` }, BAD],
    ['a label of 101 characters', { entity: 'contact', name: 'state', label: 'x'.repeat(101) }, BAD],
    ['label 5', { entity: 'contact', name: 'state', label: 5 }, BAD],
    ['no label', { entity: 'contact', name: 'state' }, BAD],
    ['entity "segment"', { entity: 'segment', name: 'name', label: 'Name' }, BAD],
    ['an unknown attribute', { entity: 'contact', name: 'nickname', label: 'Nickname' }, [400, 404]],
    ['an injection name', { entity: 'contact', name: INJECTIONS[0], label: 'x' }, [400, 404]],
    ['a "constructor" attribute', { entity: 'contact', name: 'constructor', label: 'x' }, [400, 404]],
    ['a "toString" interaction type', { entity: 'interaction_type', name: 'toString', label: 'x' }, [400, 404]],
    ['an unknown field', { entity: 'contact', name: 'state', label: 'State', lang: 'fr' }, BAD],
  ] as const) {
    cases.push({ name: `POST /schema/labels: ${why}`, method: 'POST', url: '/schema/labels', json: body, expect });
  }
  cases.push({ name: 'POST /schema/labels: a "__proto__" name', method: 'POST', url: '/schema/labels', raw: '{"entity":"contact","name":"__proto__","label":"x"}', expect: [400, 404] });
  return cases;
}

/** Keys and webhooks (admin routes): bad roles and names, unknown ids, and destinations a server must not call. */
export function adminCases(): BadCase[] {
  const cases: BadCase[] = [];
  for (const [why, body] of [
    ['role "root"', { role: 'root' }],
    ['role 5', { role: 5 }],
    ['no role', { name: 'x' }],
    ['an empty name', { role: 'viewer', name: '' }],
    ['a name of 101 characters', { role: 'viewer', name: 'x'.repeat(101) }],
    ['a name with control characters', { role: 'viewer', name: `ops ${CONTROLS[1]}` }],
    ['an unknown field "expires"', { role: 'viewer', expires: '2030-01-01' }],
    ['a "constructor" field', { role: 'viewer', constructor: { name: 'admin' } }],
  ] as const) {
    cases.push({ name: `POST /keys: ${why}`, method: 'POST', url: '/keys', json: body, expect: BAD });
  }
  cases.push({ name: 'POST /keys: a "__proto__" field', method: 'POST', url: '/keys', raw: '{"role":"viewer","__proto__":{"role":"admin"}}', expect: BAD });
  for (const id of ['no-such-key', ...INJECTIONS]) cases.push({ name: `DELETE /keys/{${id}}: unknown key`, method: 'DELETE', url: `/keys/${encodeURIComponent(id)}`, expect: NOT_FOUND });

  const hook = (url: unknown, segmentId: unknown = 'live-az') => ({ segmentId, url });
  for (const [why, body, expect] of [
    ['no url', { segmentId: 'live-az' }, BAD],
    ['url 5', hook(5), BAD],
    ['url "not a url"', hook('not a url'), BAD],
    ['a javascript: url', hook('javascript:alert(1)'), BAD],
    ['a file: url', hook('file:///etc/passwd'), BAD],
    ['an ftp: url', hook('ftp://example.com/x'), BAD],
    ['a loopback url', hook('http://127.0.0.1:8080/hook'), BAD],
    ['an IPv6 loopback url', hook('http://[::1]/hook'), BAD],
    ['a link-local (cloud metadata) url', hook('http://169.254.169.254/latest/meta-data/'), BAD],
    ['a private-network url', hook('http://10.0.0.1/hook'), BAD],
    ['an unspecified-address url', hook('http://0.0.0.0/hook'), BAD],
    ['localhost', hook('http://localhost/hook'), BAD],
    ['a url of 2,001 characters', hook(`https://example.com/${'x'.repeat(1_982)}`), BAD],
    ['an unknown segment', hook('https://example.com/hook', 'does-not-exist'), [400, 404]],
    ['an injection segment id', hook('https://example.com/hook', INJECTIONS[0]), [400, 404]],
    ['an unknown field "secret"', { ...hook('https://example.com/hook'), secret: 'mine' }, BAD],
  ] as const) {
    cases.push({ name: `POST /webhooks: ${why}`, method: 'POST', url: '/webhooks', json: body, expect });
  }
  for (const id of ['no-such-hook', ...INJECTIONS]) cases.push({ name: `DELETE /webhooks/{${id}}: unknown webhook`, method: 'DELETE', url: `/webhooks/${encodeURIComponent(id)}`, expect: NOT_FOUND });
  return cases;
}
