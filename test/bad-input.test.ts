import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/api.js';
import { corpus } from './helpers/bad-input/corpus.js';
import { changedTables, fingerprint, userTables, type TableFingerprint } from './helpers/bad-input/fingerprint.js';
import { serialise, type BadCase } from './helpers/bad-input/types.js';

/**
 * The bad-input corpus (issue 19): over a thousand requests over every write route and the
 * estimate route — wrong types, unknown fields, non-finite and out-of-range numbers, impossible
 * dates and offsets, deep and wide definitions, huge lists, control characters, injection
 * strings, prototype keys, malformed JSON, wrong content types, broken CSV — each answered with
 * a 4xx problem+json, never a 5xx, and none changing anything stored (every table of the
 * database is fingerprinted before and compared after each request).
 */

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

const GROUPS = corpus();
let sent = 0;
let serverErrors = 0;

/** Send one case: in-process (app.inject) unless it needs a real socket for Node's own limits. */
async function send(s: TestServer, c: BadCase): Promise<Answer> {
  const headers: Record<string, string> = { ...(c.headers ?? {}) };
  if (c.ifMatch) headers['if-match'] = `"${(await s.engine.segments.get(c.ifMatch)).version}"`;
  const role = c.role ?? 'admin';
  if (role === 'unknown-key') headers.authorization = 'Bearer sgm_not_a_key_of_this_server';
  else if (role !== 'none') headers.authorization = `Bearer ${s.keys[role]}`;
  const body = serialise(c);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  sent++;
  if (c.socket) {
    const res = await fetch(`${s.base}/api/v1${c.url}`, { method: c.method, headers, ...(body !== undefined ? { body } : {}) });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
  }
  const res = await s.app.inject({ method: c.method, url: `/api/v1${c.url}`, headers, ...(body !== undefined ? { payload: body } : {}) });
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), text: res.body };
}

/** Everything wrong with an answer to a bad request, or nothing. */
function faults(c: BadCase, a: Answer): string[] {
  const out: string[] = [];
  if (!c.expect.includes(a.status)) out.push(`status ${a.status}, expected ${c.expect.join(' or ')}`);
  if (!a.contentType.startsWith('application/problem+json')) out.push(`content-type "${a.contentType}", expected application/problem+json`);
  let problem: { status?: unknown; detail?: unknown } | undefined;
  try {
    problem = JSON.parse(a.text) as typeof problem;
  } catch {
    out.push(`body is not JSON: ${a.text.slice(0, 120)}`);
  }
  if (problem) {
    if (problem.status !== a.status) out.push(`problem.status ${String(problem.status)} differs from the HTTP status ${a.status}`);
    if (typeof problem.detail !== 'string' || problem.detail.length === 0) out.push('problem has no detail');
    if (c.path && !a.text.includes(c.path)) out.push(`problem does not name the field ${c.path}: ${a.text.slice(0, 300)}`);
  }
  if (out.length && !out[0]!.startsWith('status')) out.unshift(`status ${a.status}`);
  return out;
}

describe('bad-input corpus: every refused request is a 4xx problem+json and changes nothing', () => {
  let s: TestServer;
  let tables: string[];
  let baseline: TableFingerprint[];

  beforeAll(async () => {
    // Webhook destinations are checked as in production: no private addresses.
    s = await startServer({ webhooks: false, allowPrivateWebhooks: false });
    // The fixture the cases refer to: a record of every kind, an interaction, and segments in each state.
    const setup: [string, string, unknown, Record<string, string>?][] = [
      ['POST', '/accounts', [{ id: 'a1', name: 'Acme', industry: 'Software', employees: 50 }]],
      ['POST', '/leads', [{ id: 'l1', topic: 'Pricing', contact_id: 'c1', rating: 3 }]],
      ['POST', '/interactions', [{ id: 'i1', contact_id: 'c1', type: 'email_open', occurred_at: '2024-05-30T10:00:00Z', campaign_id: 'spring' }]],
      ['POST', '/segments', { id: 'az', name: 'Arizona', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } }] } }],
      ['POST', '/segments', { id: 'live-az', name: 'Arizona (live)', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } }] } }],
      ['POST', '/segments/live-az/go-live', undefined],
      ['POST', '/segments', { id: 'uses-live', name: 'Uses live', type: 'compound', query: { blocks: [{ kind: 'segment', segment: 'live-az' }] } }],
      ['POST', '/segments', { id: 'vip', name: 'VIP', type: 'static', members: ['c1'] }],
    ];
    for (const [method, path, body] of setup) {
      const r = await s.call(method, path, body === undefined ? {} : { body });
      if (r.status >= 300) throw new Error(`fixture ${method} ${path}: ${r.status} ${r.text}`);
    }
    await s.engine.live.processPending();
    tables = await userTables(s.engine.store);
    baseline = await fingerprint(s.engine.store, tables);
  });

  afterAll(async () => {
    console.log(`bad-input corpus: ${sent} requests, ${serverErrors} 5xx`);
    await s?.close();
  });

  for (const { group, cases } of GROUPS) {
    describe(`${group} (${cases.length} requests)`, () => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
        const answer = await send(s, c);
        if (answer.status >= 500) serverErrors++;
        const wrong = faults(c, answer);
        const after = await fingerprint(s.engine.store, tables);
        const changed = changedTables(baseline, after);
        // A case that changed something is reported once: the next ones compare with what is now stored.
        if (changed.length) baseline = after;
        expect({ answer: wrong, changed }, answer.text.slice(0, 500)).toEqual({ answer: [], changed: [] });
      });
    });
  }

  it('holds at least 300 requests, none answered with a 5xx', () => {
    expect(sent).toBeGreaterThanOrEqual(300);
    expect(serverErrors).toBe(0);
  });

  it('covers every write route of the API (a route added later without bad cases fails here)', async () => {
    const doc = (await s.call('GET', '/openapi.json', { role: 'viewer' })).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => ({ route: `${m.toUpperCase()} ${path}`, method: m.toUpperCase(), pattern: new RegExp(`^${path.replace(/^\/api\/v1/, '').replace(/\{[^}]+\}/g, '[^/]+')}$`) })),
    );
    expect(routes.length).toBeGreaterThan(20);
    const cases = GROUPS.flatMap((g) => g.cases);
    const uncovered = routes.filter((r) => !cases.some((c) => c.method === r.method && r.pattern.test(c.url.split('?')[0]!))).map((r) => r.route);
    expect(uncovered).toEqual([]);
  });

  it('notices a write: the fingerprint is not blind (a good upsert changes it)', async () => {
    const before = await fingerprint(s.engine.store, tables);
    const r = await s.call('PUT', '/contacts/c2', { role: 'editor', body: { city: 'Tucson' } });
    expect(r.status).toBe(200);
    expect(changedTables(before, await fingerprint(s.engine.store, tables))).toContainEqual(expect.stringMatching(/^contacts /));
  });

  it('stores injection strings in values as data, verbatim, and changes nothing else', async () => {
    const text = `'; DROP TABLE contacts; -- " OR 1=1 $(rm -rf /) ../../etc/passwd`;
    const before = await fingerprint(s.engine.store, tables);
    const r = await s.call('PUT', '/contacts/c3', { role: 'editor', body: { job_title: text } });
    expect(r.status).toBe(200);
    expect((await s.call('GET', '/contacts/c3', { role: 'viewer' })).body.job_title).toBe(text);
    const after = await fingerprint(s.engine.store, tables);
    const count = (f: TableFingerprint[], table: string) => f.find((t) => t.table === table)?.rows;
    expect(count(after, 'contacts')).toBe(count(before, 'contacts'));
    expect(changedTables(before, after).filter((t) => !/^(contacts|live_|membership|audit)/.test(t))).toEqual([]);
  });
});
