import { BAD, MEDIA, type BadCase } from './types.js';

/** A write route that reads a JSON body, with the body limit it declares. */
interface JsonRoute {
  method: 'POST' | 'PUT';
  url: string;
  ifMatch?: string;
}

export const JSON_ROUTES: readonly JsonRoute[] = [
  { method: 'POST', url: '/contacts' },
  { method: 'POST', url: '/accounts' },
  { method: 'POST', url: '/leads' },
  { method: 'PUT', url: '/contacts/c1' },
  { method: 'PUT', url: '/accounts/a1' },
  { method: 'PUT', url: '/leads/l1' },
  { method: 'POST', url: '/contacts/delete' },
  { method: 'POST', url: '/accounts/delete' },
  { method: 'POST', url: '/leads/delete' },
  { method: 'POST', url: '/interactions' },
  { method: 'POST', url: '/segments' },
  { method: 'POST', url: '/segments/estimate' },
  { method: 'PUT', url: '/segments/az', ifMatch: 'az' },
  { method: 'POST', url: '/segments/vip/members' },
  { method: 'POST', url: '/templates/email-openers/instantiate' },
  { method: 'POST', url: '/schema/attributes' },
  { method: 'POST', url: '/schema/queryable' },
  { method: 'POST', url: '/schema/interaction-types' },
  { method: 'POST', url: '/schema/labels' },
  { method: 'POST', url: '/keys' },
  { method: 'POST', url: '/webhooks' },
];

/** Write routes without a body, that act on what exists: a body sent to them is refused, not ignored. */
export const BODYLESS_ROUTES: readonly { method: 'POST' | 'DELETE'; url: string }[] = [
  { method: 'DELETE', url: '/contacts/c1' },
  { method: 'DELETE', url: '/segments/az' },
  { method: 'POST', url: '/segments/az/go-live' },
  { method: 'POST', url: '/segments/live-az/refresh' },
  { method: 'POST', url: '/segments/live-az/stop' },
  { method: 'POST', url: '/segments/refresh-all' },
];

/** Text that is not JSON, in the ways clients get it wrong. */
const MALFORMED: readonly [string, string][] = [
  ['a truncated object', '{"name":"x",'],
  ['single quotes', "{'name':'x'}"],
  ['a trailing comma', '{"name":"x",}'],
  ['NaN', 'NaN'],
  ['two objects', '{"a":1}{"b":2}'],
  ['a raw control character in a string', '{"name":"a\u0001b"}'],
  ['an invalid escape', '{"name":"\\x41"}'],
  ['a truncated array', '[{"id":"x"'],
];

/**
 * Every JSON write route, whatever its meaning, refuses bodies that are not its JSON: malformed
 * text (a different sample per route, all of them across routes), JSON of the wrong shape,
 * an empty body, and media types it does not read.
 */
export function genericCases(): BadCase[] {
  const cases: BadCase[] = [];
  JSON_ROUTES.forEach((r, i) => {
    const at = `${r.method} ${r.url}`;
    const base = { method: r.method, url: r.url, ...(r.ifMatch ? { ifMatch: r.ifMatch } : {}) };
    const json = { ...base, headers: { 'content-type': 'application/json' } };
    for (const [why, text] of [MALFORMED[i % MALFORMED.length]!, MALFORMED[(i + 3) % MALFORMED.length]!]) cases.push({ ...json, name: `${at}: malformed JSON, ${why}`, raw: text, expect: BAD });
    cases.push({ ...json, name: `${at}: an empty JSON body`, raw: '', expect: BAD });
    cases.push({ ...json, name: `${at}: null`, raw: 'null', expect: BAD });
    cases.push({ ...json, name: `${at}: a bare string`, raw: '"x"', expect: BAD });
    cases.push({ ...json, name: `${at}: a number`, raw: '42', expect: BAD });
    cases.push({ ...base, name: `${at}: JSON sent as text/plain`, headers: { 'content-type': 'text/plain' }, raw: '{"id":"x"}', expect: MEDIA });
    cases.push({ ...base, name: `${at}: a multipart body`, headers: { 'content-type': 'multipart/form-data; boundary=b' }, raw: '--b\r\nContent-Disposition: form-data; name="id"\r\n\r\nx\r\n--b--\r\n', expect: [415] });
    if (i % 2 === 0) cases.push({ ...base, name: `${at}: a form-encoded body`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, raw: 'id=x', expect: [415] });
    if (i % 2 === 1) cases.push({ ...base, name: `${at}: application/xml`, headers: { 'content-type': 'application/xml' }, raw: '<id>x</id>', expect: [415] });
  });
  for (const r of BODYLESS_ROUTES) {
    const at = `${r.method} ${r.url}`;
    cases.push({ method: r.method, url: r.url, name: `${at}: a malformed JSON body`, headers: { 'content-type': 'application/json' }, raw: '{"force":', expect: BAD });
    cases.push({ method: r.method, url: r.url, name: `${at}: a multipart body`, headers: { 'content-type': 'multipart/form-data; boundary=b' }, raw: '--b--\r\n', expect: [415] });
  }
  return cases;
}

/** Refused before the route runs: no key, a key of the wrong form or unknown, a role too low. A few only: failed authentication is rate-limited. */
export function authCases(): BadCase[] {
  const body = [{ id: 'new-1', state: 'AZ' }];
  return [
    { name: 'POST /contacts: no key', method: 'POST', url: '/contacts', role: 'none', json: body, expect: [401] },
    { name: 'POST /contacts: an unknown key', method: 'POST', url: '/contacts', role: 'unknown-key', json: body, expect: [401, 429] },
    { name: 'POST /contacts: Basic instead of Bearer', method: 'POST', url: '/contacts', role: 'none', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' }, json: body, expect: [401, 429] },
    { name: "POST /contacts: a viewer's key", method: 'POST', url: '/contacts', role: 'viewer', json: body, expect: [403] },
    { name: "POST /segments: a viewer's key", method: 'POST', url: '/segments', role: 'viewer', json: { name: 'X', type: 'static' }, expect: [403] },
    { name: "POST /keys: an editor's key asks for an admin key", method: 'POST', url: '/keys', role: 'editor', json: { role: 'admin' }, expect: [403] },
    { name: "POST /schema/attributes: an editor's key", method: 'POST', url: '/schema/attributes', role: 'editor', json: { entity: 'contact', name: 'tier', type: 'string' }, expect: [403] },
    { name: "DELETE /segments/az: a viewer's key", method: 'DELETE', url: '/segments/az', role: 'viewer', expect: [403] },
    { name: "POST /webhooks: an editor's key", method: 'POST', url: '/webhooks', role: 'editor', json: { segmentId: 'live-az', url: 'https://example.com/hook' }, expect: [403] },
    { name: "POST /imports/contacts: a viewer's key", method: 'POST', url: '/imports/contacts?name=c.csv', role: 'viewer', headers: { 'content-type': 'text/csv' }, raw: 'id\nc50\n', expect: [403] },
  ];
}

/** Over the limits of the HTTP layer: a body over its route's limit (413), a URL too long (414), headers too large (431). */
export function sizeCases(): BadCase[] {
  const big = JSON.stringify({ name: 'Big', type: 'dynamic', description: 'x'.repeat(1_100_000) });
  return [
    { name: 'POST /segments: a body over 1 MiB', method: 'POST', url: '/segments', raw: big, headers: { 'content-type': 'application/json' }, expect: [413] },
    { name: 'POST /segments/estimate: a body over 1 MiB', method: 'POST', url: '/segments/estimate', raw: big, headers: { 'content-type': 'application/json' }, expect: [413] },
    { name: 'POST /contacts: a body over 16 MiB', method: 'POST', url: '/contacts', raw: JSON.stringify([{ id: 'new-1', first_name: 'x'.repeat(17 * 1024 * 1024) }]), headers: { 'content-type': 'application/json' }, expect: [413] },
    { name: 'POST /keys: a URL of 10,000 characters', method: 'POST', url: `/keys?${'x'.repeat(10_000)}=1`, json: { role: 'viewer' }, expect: [414], socket: true },
    { name: 'POST /contacts: 20 KB of headers', method: 'POST', url: '/contacts', headers: { 'x-filler': 'x'.repeat(20_000) }, json: [{ id: 'new-1' }], expect: [431], socket: true },
  ];
}
