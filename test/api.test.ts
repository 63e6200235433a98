import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { ACCESS_KEYWORD } from '../src/api/auth.js';
import { pageOf, recordSchema } from '../src/api/schemas.js';
import { ROLES, roleCovers, type Role } from '../src/engine/access/keys.js';
import { CONTACTS, startServer, type TestServer } from './helpers/api.js';
import { TEST_NOW } from './helpers/engine.js';

const AZ = { id: 'az', name: 'Arizona', type: 'dynamic', query: { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } }] } };
const OPENERS = {
  id: 'openers',
  name: 'Openers',
  type: 'dynamic',
  query: { blocks: [{ kind: 'behavioral', interaction: 'email_open', window: { last: { amount: 30, unit: 'days' } } }] },
};
const hoursAgo = (h: number): string => new Date(Date.parse(TEST_NOW) - h * 3_600_000).toISOString();

/** What a refused request must leave unchanged. */
async function fingerprint(s: TestServer): Promise<string> {
  const [row] = await s.engine.store.all(
    `SELECT (SELECT count(*) FROM contacts) AS c, (SELECT count(*) FROM interactions) AS i, (SELECT count(*) FROM segments) AS s,
            (SELECT count(*) FROM segment_versions) AS v, (SELECT count(*) FROM memberships) AS m, (SELECT count(*) FROM api_keys) AS k,
            (SELECT string_agg(id || ':' || version || ':' || status, ',' ORDER BY id) FROM segments) AS d,
            (SELECT string_agg(id || ':' || coalesce(state, '') || ':' || coalesce(CAST(score AS VARCHAR), ''), ',' ORDER BY id) FROM contacts) AS p`,
  );
  return JSON.stringify(row);
}

describe('HTTP API: happy paths over real HTTP', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => s.close());

  it('answers health without a key, and serves its OpenAPI document and docs', async () => {
    const health = await s.call('GET', '/health', { role: 'none' });
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    const me = await s.call('GET', '/me', { role: 'editor' });
    expect(me.body).toMatchObject({ role: 'editor', name: 'test editor', prefix: expect.stringMatching(/^sgm_/) });
    const doc = await s.call('GET', '/openapi.json', { role: 'none' });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/segments/{id}/members');
    expect(doc.body.paths['/api/v1/segments'].post.requestBody.content['application/json'].schema).toBeTruthy();
    const docs = await fetch(`${s.base}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('shows the schema and lets an admin add an attribute and an interaction type', async () => {
    const schema = await s.call('GET', '/schema', { role: 'viewer' });
    expect(schema.status).toBe(200);
    expect(schema.body.entities.find((e: any) => e.name === 'contact').attributes.map((a: any) => a.name)).toContain('email');
    const added = await s.call('POST', '/schema/attributes', { body: { entity: 'contact', name: 'loyalty_tier', type: 'string' } });
    expect(added.status).toBe(201);
    expect(added.body.entities.find((e: any) => e.name === 'contact').attributes.map((a: any) => a.name)).toContain('loyalty_tier');
    const type = await s.call('POST', '/schema/interaction-types', { body: { name: 'webinar_view' } });
    expect(type.status).toBe(201);
    expect(type.body.interactionTypes.map((t: any) => t.name)).toContain('webinar_view');
    const label = await s.call('POST', '/schema/labels', { body: { entity: 'interaction_type', name: 'webinar_view', label: 'Watched a webinar' } });
    expect(label.status).toBe(200);
    expect(label.body.interactionTypes.find((t: any) => t.name === 'webinar_view')).toMatchObject({ label: 'Watched a webinar', defaultLabel: 'Webinar view' });
  });

  it('upserts, reads, searches, pages and deletes contacts', async () => {
    const put = await s.call('PUT', '/contacts/c9', { role: 'editor', body: { first_name: 'Barbara', last_name: 'Liskov', email: 'barbara@example.com', state: 'MA', score: 60 } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: 'c9', first_name: 'Barbara', score: 60 });
    const patch = await s.call('PUT', '/contacts/c9', { role: 'editor', body: { score: 61 } });
    expect(patch.body).toMatchObject({ id: 'c9', first_name: 'Barbara', score: 61 });
    const got = await s.call('GET', '/contacts/c9', { role: 'viewer' });
    expect(got.body.email).toBe('barbara@example.com');
    const search = await s.call('GET', '/contacts?search=LISKOV', { role: 'viewer' });
    expect(search.body.items.map((c: any) => c.id)).toEqual(['c9']);
    expect(search.body.total).toBe(1);
    // Any text attribute is searched: here the state.
    const byState = await s.call('GET', '/contacts?search=tx', { role: 'viewer' });
    expect(byState.body).toMatchObject({ items: [{ id: 'c4' }], total: 1 });
    const page1 = await s.call('GET', '/contacts?limit=2', { role: 'viewer' });
    expect(page1.body.items.map((c: any) => c.id)).toEqual(['c1', 'c2']);
    expect(page1.body.total).toBe(5);
    const page2 = await s.call('GET', `/contacts?limit=2&cursor=${page1.body.next}`, { role: 'viewer' });
    expect(page2.body.items.map((c: any) => c.id)).toEqual(['c3', 'c4']);
    expect(page2.body.total).toBe(5);
    const batch = await s.call('POST', '/contacts', { role: 'editor', body: [{ id: 'c10', first_name: 'Ken', state: 'NJ' }, { id: 'c11', first_name: 'Dennis', state: 'NJ' }] });
    expect(batch.body).toEqual({ received: 2, inserted: 2, updated: 0, skipped: 0, unknownReferences: { account_id: 0 } });
    expect((await s.call('DELETE', '/contacts/c11', { role: 'editor' })).status).toBe(204);
    expect((await s.call('GET', '/contacts/c11', { role: 'viewer' })).status).toBe(404);
    expect((await s.call('DELETE', '/contacts/c11', { role: 'editor' })).status).toBe(404);
  });

  it('ingests interactions idempotently and lists a contact\'s timeline', async () => {
    const batch = [
      { id: 'i1', contact_id: 'c1', type: 'email_open', occurred_at: hoursAgo(5), campaign_id: 'spring' },
      { id: 'i2', contact_id: 'c3', type: 'email_open', occurred_at: hoursAgo(2) },
    ];
    const first = await s.call('POST', '/interactions', { role: 'editor', body: batch });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ received: 2, inserted: 2, skipped: 0 });
    const again = await s.call('POST', '/interactions', { role: 'editor', body: batch });
    expect(again.body).toMatchObject({ received: 2, inserted: 0, skipped: 2 });
    const timeline = await s.call('GET', '/contacts/c1/interactions', { role: 'viewer' });
    expect(timeline.body.items).toHaveLength(1);
    expect(timeline.body.items[0]).toMatchObject({ id: 'i1', type: 'email_open', campaign_id: 'spring' });
    // Pages of a timeline neither skip nor repeat interactions of the same instant.
    await s.call('POST', '/interactions', { role: 'editor', body: ['t1', 't2', 't3'].map((id) => ({ id, contact_id: 'c4', type: 'email_click', occurred_at: hoursAgo(3) })) });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await s.call('GET', `/contacts/c4/interactions?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { role: 'viewer' });
      seen.push(...page.body.items.map((i: any) => i.id));
      cursor = page.body.next;
    } while (cursor);
    expect(seen.sort()).toEqual(['t1', 't2', 't3']);
  });

  it('runs a segment through its life: create, estimate, edit with If-Match, go live, members, explain, changes, history, stop, delete', async () => {
    const created = await s.call('POST', '/segments', { role: 'editor', body: AZ });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ id: 'az', status: 'draft', version: 1 });
    // A draft's members are evaluated per page; its first page counts them all.
    const draftPage = await s.call('GET', '/segments/az/members?limit=1', { role: 'viewer' });
    expect(draftPage.body).toMatchObject({ items: [{ id: 'c1' }], total: 2 });
    expect((await s.call('GET', `/segments/az/members?limit=1&cursor=${draftPage.body.next}`, { role: 'viewer' })).body.total).toBeUndefined();

    const estimate = await s.call('POST', '/segments/estimate', { role: 'viewer', body: { ...AZ, id: undefined, query: { blocks: [...AZ.query.blocks, { relation: 'and_also', ...OPENERS.query.blocks[0] }] } } });
    expect(estimate.status).toBe(200);
    expect(estimate.body.total).toBe(1); // c1: Arizona and opened
    expect(estimate.body.blocks.map((b: any) => b.count)).toEqual([2, 2]);

    const edited = await s.call('PUT', '/segments/az', { role: 'editor', body: { ...AZ, name: 'Arizona contacts' }, headers: { 'if-match': '"1"' } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: 'Arizona contacts', version: 2 });
    expect(edited.headers.get('etag')).toBe('"2"');

    expect((await s.call('GET', '/segments/az', { role: 'viewer' })).body).toMatchObject({ id: 'az', version: 2, name: 'Arizona contacts' });

    const live = await s.call('POST', '/segments/az/go-live', { role: 'editor' });
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ members: 2, entered: 2, segment: { status: 'live' } });

    const list = await s.call('GET', '/segments?status=live&type=dynamic', { role: 'viewer' });
    expect(list.body.items.map((x: any) => x.id)).toEqual(['az']);

    const page = await s.call('GET', '/segments/az/members?limit=1', { role: 'viewer' });
    // Pages of a maintained segment are written as text from memory (not through the
    // serializer that validates other answers): held to the route's schema here.
    const validPage = new Ajv({ strict: false }).compile(pageOf(recordSchema));
    expect(validPage(page.body), JSON.stringify(validPage.errors)).toBe(true);
    expect(page.body.items.map((m: any) => m.id)).toEqual(['c1']);
    expect(page.body.items[0].email).toBe('ada@example.com');
    expect(page.body.total).toBe(2);
    const next = await s.call('GET', `/segments/az/members?limit=1&cursor=${page.body.next}`, { role: 'viewer' });
    expect(next.body.items.map((m: any) => m.id)).toEqual(['c2']);
    expect(next.body.next).toBeUndefined();
    const searched = await s.call('GET', '/segments/az/members?search=turing', { role: 'viewer' });
    expect(searched.body.items.map((m: any) => m.id)).toEqual(['c2']);
    expect(searched.body.total).toBe(1);
    // Any text attribute of the member is searched (the state), and the first page counts them all.
    const byState = await s.call('GET', '/segments/az/members?search=az&limit=1', { role: 'viewer' });
    expect(byState.body).toMatchObject({ items: [{ id: 'c1' }], total: 2 });
    const byStateNext = await s.call('GET', `/segments/az/members?search=az&limit=1&cursor=${byState.body.next}`, { role: 'viewer' });
    expect(byStateNext.body.items.map((m: any) => m.id)).toEqual(['c2']);

    const csv = await fetch(`${s.base}/api/v1/segments/az/members.csv`, { headers: { authorization: `Bearer ${s.keys.viewer}` } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]!.split(',')[0]).toBe('id');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['c1', 'c2']);

    const explain = await s.call('GET', '/segments/az/explain/c3', { role: 'viewer' });
    expect(explain.body).toMatchObject({ contactId: 'c3', member: false, storedMember: false, contactExists: true });
    expect(explain.body.text).toContain('"CA"');

    // A data change moves a contact in: recorded by the live path, seen in the log and history.
    await s.call('PUT', '/contacts/c3', { role: 'editor', body: { state: 'AZ' } });
    const changes = await s.call('GET', '/segments/az/changes', { role: 'viewer' });
    expect(changes.body.items.map((c: any) => [c.contactId, c.change, c.cause])).toEqual([
      ['c1', 'entered', 'go_live'],
      ['c2', 'entered', 'go_live'],
      ['c3', 'entered', 'data_change'],
    ]);
    const newest = await s.call('GET', '/segments/az/changes?order=desc&limit=2', { role: 'viewer' });
    expect(newest.body.items.map((c: any) => c.contactId)).toEqual(['c3', 'c2']);
    const older = await s.call('GET', `/segments/az/changes?order=desc&limit=2&cursor=${newest.body.next}`, { role: 'viewer' });
    expect(older.body.items.map((c: any) => c.contactId)).toEqual(['c1']);
    expect(older.body.next).toBeUndefined();
    const paged = await s.call('GET', '/segments/az/changes?limit=2', { role: 'viewer' });
    const rest = await s.call('GET', `/segments/az/changes?limit=2&cursor=${paged.body.next}`, { role: 'viewer' });
    expect(rest.body.items.map((c: any) => c.contactId)).toEqual(['c3']);
    const history = await s.call('GET', '/segments/az/history?bucket=hour', { role: 'viewer' });
    expect(history.body.items.at(-1)).toMatchObject({ members: 3 });

    const ofContact = await s.call('GET', '/contacts/c3/segments', { role: 'viewer' });
    expect(ofContact.status).toBe(200);
    expect(ofContact.body.items).toEqual([{ segmentId: 'az', name: 'Arizona contacts', type: 'dynamic', status: 'live', enteredAt: expect.any(String) }]);
    expect(ofContact.body.changes.map((c: any) => [c.segmentId, c.change, c.cause])).toEqual([['az', 'entered', 'data_change']]);
    expect((await s.call('GET', '/contacts/nobody/segments', { role: 'viewer' })).status).toBe(404);

    const states = await s.call('GET', '/schema/values?attr=state', { role: 'viewer' });
    expect(states.status).toBe(200);
    expect(states.body.items[0]).toEqual({ value: 'AZ', count: 3 });
    expect((await s.call('GET', '/schema/values?attr=state&search=z', { role: 'viewer' })).body.items.map((v: any) => v.value)).toEqual(['AZ']);
    const counts = states.body.items.map((v: any) => v.count);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
    const bad = await s.call('GET', '/schema/values?attr=account.nope', { role: 'viewer' });
    expect(bad.status).toBe(404);
    expect(bad.body.detail).toContain('nope');

    const summary = await s.call('GET', '/segments/az/summary', { role: 'viewer' });
    expect(summary.body.summary).toContain('AZ');

    const stopped = await s.call('POST', '/segments/az/stop', { role: 'editor' });
    expect(stopped.body.segment.status).toBe('stopped');
    expect((await s.call('DELETE', '/segments/az', { role: 'editor' })).status).toBe(204);
    expect((await s.call('GET', '/segments/az', { role: 'viewer' })).status).toBe(404);

    const audit = await s.call('GET', '/audit?segment=az', { role: 'admin' });
    expect(audit.body.items.map((a: any) => [a.action, a.versionBefore, a.versionAfter])).toEqual([
      ['delete', 2, null],
      ['stop', 2, 2],
      ['go_live', 2, 2],
      ['update', 1, 2],
      ['create', null, 1],
    ]);
    expect(audit.body.items[0].actor).toContain('test editor');
  });

  it('manages static members, overlaps and templates', async () => {
    const st = await s.call('POST', '/segments', { role: 'editor', body: { id: 'vip', name: 'VIP', type: 'static', members: ['c1'] } });
    expect(st.body.memberCount).toBe(1);
    const changed = await s.call('POST', '/segments/vip/members', { role: 'editor', body: { add: ['c2', 'c4'], remove: ['c1'] } });
    expect(changed.body).toMatchObject({ added: 2, removed: 1, segment: { memberCount: 2 } });
    const unknown = await s.call('POST', '/segments/vip/members', { role: 'editor', body: { add: ['nobody'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain('nobody');

    await s.call('POST', '/segments', { role: 'editor', body: { ...AZ, id: 'az2' } });
    await s.call('POST', '/segments/az2/go-live', { role: 'editor' });
    const overlap = await s.call('GET', '/segments/overlap?ids=vip,az2', { role: 'viewer' });
    expect(overlap.status).toBe(200);
    const azMembers = (await s.call('GET', '/segments/az2/members', { role: 'viewer' })).body.items.map((m: any) => m.id);
    expect(overlap.body.pairs).toEqual([{ a: 'vip', b: 'az2', both: ['c2', 'c4'].filter((c) => azMembers.includes(c)).length }]);

    const templates = await s.call('GET', '/templates', { role: 'viewer' });
    expect(templates.body.items.length).toBeGreaterThan(5);
    const name = templates.body.items.find((t: any) => t.params.every((p: any) => !p.required || p.default !== undefined)).name;
    const preview = await s.call('POST', `/templates/${name}/instantiate`, { role: 'editor', body: { save: false, id: 'from-template' } });
    expect(preview.status).toBe(200);
    expect(preview.body.definition.id).toBe('from-template');
    expect((await s.call('GET', '/segments/from-template', { role: 'viewer' })).status).toBe(404);
    const saved = await s.call('POST', `/templates/${name}/instantiate`, { role: 'editor', body: { id: 'from-template' } });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ id: 'from-template', status: 'draft' });
  });

  it('creates, lists and revokes keys; a revoked key stops working at once', async () => {
    const created = await s.call('POST', '/keys', { body: { role: 'viewer', name: 'dashboard' } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^sgm_/);
    const key = created.body.key as string;
    const use = (): Promise<Response> => fetch(`${s.base}/api/v1/segments`, { headers: { authorization: `Bearer ${key}` } });
    expect((await use()).status).toBe(200);
    const list = await s.call('GET', '/keys');
    expect(list.body.items.find((k: any) => k.id === created.body.id)).toMatchObject({ name: 'dashboard', role: 'viewer', revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect((await s.call('DELETE', `/keys/${created.body.id}`)).status).toBe(200);
    expect((await use()).status).toBe(401);
  });

  it('streams membership changes as server-sent events, resumable by seq', async () => {
    await s.call('POST', '/segments', { role: 'editor', body: OPENERS });
    await s.call('POST', '/segments/openers/go-live', { role: 'editor' });
    const controller = new AbortController();
    const res = await fetch(`${s.base}/api/v1/segments/openers/changes/stream`, { headers: { authorization: `Bearer ${s.keys.viewer}` }, signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    await s.call('POST', '/interactions', { role: 'editor', body: [{ id: 'sse-1', contact_id: 'c4', type: 'email_open', occurred_at: hoursAgo(1) }] });
    let text = '';
    while (!text.includes('event: change')) text += decoder.decode((await reader.read()).value);
    controller.abort();
    const data = JSON.parse(/data: (.*)/.exec(text)![1]!);
    expect(data).toMatchObject({ contactId: 'c4', change: 'entered', cause: 'data_change' });
    const id = Number(/id: (\d+)/.exec(text)![1]);
    // Resuming after that seq gives nothing old again.
    const changes = await s.call('GET', '/segments/openers/changes', { role: 'viewer' });
    expect(changes.body.items.filter((c: any) => c.seq > id)).toEqual([]);
  });

  it('serves the rest: accounts, leads, imports, queryable, a template, refreshes, webhooks', async () => {
    for (const kind of ['accounts', 'leads'] as const) {
      const one = kind === 'accounts' ? { name: 'Acme', industry: 'Software' } : { topic: 'Pricing', contact_id: 'c1' };
      expect((await s.call('PUT', `/${kind}/x1`, { role: 'editor', body: one })).body.id).toBe('x1');
      expect((await s.call('POST', `/${kind}`, { role: 'editor', body: [{ id: 'x2', ...one }] })).body.inserted).toBe(1);
      expect((await s.call('GET', `/${kind}/x1`, { role: 'viewer' })).status).toBe(200);
      expect((await s.call('GET', `/${kind}?limit=1`, { role: 'viewer' })).body.next).toBeTruthy();
      expect((await s.call('POST', `/${kind}/delete`, { role: 'editor', body: { ids: ['x2'] } })).body.deleted).toBe(1);
      expect((await s.call('DELETE', `/${kind}/x1`, { role: 'editor' })).status).toBe(204);
    }
    await s.call('PUT', '/contacts/x3', { role: 'editor', body: { first_name: 'Temp' } });
    expect((await s.call('POST', '/contacts/delete', { role: 'editor', body: { ids: ['x3', 'no-such'] } })).body.deleted).toBe(1);
    const upload = await fetch(`${s.base}/api/v1/imports/contacts?name=more.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.keys.editor}`, 'content-type': 'text/csv' },
      body: 'id,first_name,state\nc20,Radia,WA\nc21,Frances,WA\n',
    });
    expect(upload.status).toBe(200);
    expect(await upload.json()).toMatchObject({ file: 'more.csv', rows: 2, inserted: 2 });
    const badUpload = await fetch(`${s.base}/api/v1/imports/contacts?name=bad.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.keys.editor}`, 'content-type': 'text/csv' },
      body: 'id,score\nc22,lots\n',
    });
    expect(badUpload.status).toBe(400);
    expect(((await badUpload.json()) as { detail: string }).detail).toContain('bad.csv');
    expect((await s.call('GET', '/contacts/c22', { role: 'viewer' })).status).toBe(404);

    const queryable = await s.call('POST', '/schema/queryable', { body: { entity: 'contact', name: 'phone', queryable: false } });
    expect(queryable.body.entities.find((e: any) => e.name === 'contact').attributes.find((a: any) => a.name === 'phone').queryable).toBe(false);
    const template = (await s.call('GET', '/templates', { role: 'viewer' })).body.items[0];
    expect((await s.call('GET', `/templates/${template.name}`, { role: 'viewer' })).body.title).toBe(template.title);

    await s.call('POST', '/segments', { role: 'editor', body: { ...AZ, id: 'az-refresh' } });
    await s.call('POST', '/segments/az-refresh/go-live', { role: 'editor' });
    expect((await s.call('POST', '/segments/az-refresh/refresh', { role: 'editor' })).body.segment.id).toBe('az-refresh');
    const all = await s.call('POST', '/segments/refresh-all', { role: 'editor' });
    expect(all.body.items.map((r: any) => r.segmentId)).toContain('az-refresh');

    const hook = await s.call('POST', '/webhooks', { body: { segmentId: 'az-refresh', url: 'http://127.0.0.1:9/unreachable' } });
    expect((await s.call('GET', `/webhooks/${hook.body.id}`)).body.url).toBe('http://127.0.0.1:9/unreachable');
    expect((await s.call('GET', `/webhooks/${hook.body.id}/deliveries`)).status).toBe(200);
    expect((await s.call('GET', '/webhooks?segment=az-refresh')).body.items).toHaveLength(1);
    expect((await s.call('DELETE', `/webhooks/${hook.body.id}`)).status).toBe(204);
  });

  it('has answered every operation of its OpenAPI document with a 2xx in these tests', async () => {
    const doc = (await s.call('GET', '/openapi.json', { role: 'none' })).body;
    const operations = Object.entries<any>(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`));
    const streams = operations.filter((o) => o.endsWith('/stream'));
    expect(streams.filter((o) => !s.reached.has(o))).toEqual([]);
    expect(operations.filter((o) => !streams.includes(o) && !s.answered.has(o))).toEqual([]);
  });
});

describe('HTTP API: every route checks the key and role (from the OpenAPI document)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ live: false });
  });
  afterAll(async () => s.close());

  it('answers 401 without a key, 403 below the route\'s role, and neither at or above it', async () => {
    const doc = (await s.call('GET', '/openapi.json', { role: 'none' })).body;
    const operations: { method: string; path: string; access: string }[] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        operations.push({ method: method.toUpperCase(), path, access: operation[ACCESS_KEYWORD] });
      }
    }
    expect(operations.length).toBeGreaterThan(30);
    // Every route declares who may call it; the document shows it.
    expect(operations.filter((o) => !o.access)).toEqual([]);
    const failures: string[] = [];
    for (const o of operations) {
      const url = o.path.replace(/^\/api\/v1/, '').replace(/\{[^}]+\}/g, '__none__');
      const body = ['POST', 'PUT', 'PATCH'].includes(o.method) ? {} : undefined;
      for (const who of ['none', ...ROLES] as const) {
        const res = await s.call(o.method, url, { role: who, ...(body ? { body } : {}) });
        const expected = o.access === 'public' ? 'open' : who === 'none' ? 401 : roleCovers(who as Role, o.access as Role) ? 'open' : 403;
        const ok = expected === 'open' ? res.status !== 401 && res.status !== 403 : res.status === expected;
        if (!ok) failures.push(`${o.method} ${o.path} as ${who}: ${res.status} (expected ${expected})`);
        if (res.status === 401 || res.status === 403) expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('HTTP API: bad input is refused precisely and changes nothing', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ live: false });
    await s.call('POST', '/segments', { role: 'editor', body: AZ });
  });
  afterAll(async () => s.close());

  const cases: { name: string; method: string; path: string; body?: unknown; raw?: string; headers?: Record<string, string>; status: number; path_?: string; detail: RegExp }[] = [
    { name: 'wrong type', method: 'POST', path: '/segments', body: { ...AZ, id: 'x1', name: 5 }, status: 400, path_: 'body.name', detail: /must be a string/ },
    { name: 'unknown field', method: 'POST', path: '/segments', body: { ...AZ, id: 'x2', colour: 'red' }, status: 400, path_: 'body.colour', detail: /unknown field "colour"/ },
    { name: 'malformed definition', method: 'POST', path: '/segments', body: { ...AZ, id: 'x3', query: { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'equals', value: 'AZ' } }] } }, status: 400, path_: 'body.query.blocks[0].where.op', detail: /unknown operator "equals"/ },
    { name: 'unknown attribute', method: 'POST', path: '/segments', body: { ...AZ, id: 'x4', query: { blocks: [{ kind: 'profile', where: { attr: 'shoe_size', op: 'eq', value: 1 } }] } }, status: 400, path_: 'query.blocks[0].where.attr', detail: /shoe_size/ },
    { name: 'malformed JSON', method: 'POST', path: '/segments', raw: '{"name": ', headers: { 'content-type': 'application/json' }, status: 400, detail: /not valid JSON/ },
    { name: 'not JSON', method: 'POST', path: '/segments', raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, detail: /application\/json/ },
    { name: 'oversized body', method: 'POST', path: '/segments', body: { ...AZ, id: 'x5', description: 'x'.repeat(1_100_000) }, status: 413, detail: /larger than the limit/ },
    { name: 'bad cursor', method: 'GET', path: '/segments?cursor=bm90LWEtY3Vyc29y', status: 400, path_: 'query.cursor', detail: /not a cursor this API issued/ },
    { name: 'page size too large', method: 'GET', path: '/contacts?limit=5000', status: 400, path_: 'query.limit', detail: /at most 1000/ },
    { name: 'unknown query parameter', method: 'GET', path: '/contacts?colour=red', status: 400, path_: 'query.colour', detail: /unknown field/ },
    { name: 'stale If-Match', method: 'PUT', path: '/segments/az', body: { ...AZ, name: 'changed' }, headers: { 'if-match': '"7"' }, status: 409, path_: 'version', detail: /version 1, not 7/ },
    { name: 'missing If-Match', method: 'PUT', path: '/segments/az', body: { ...AZ, name: 'changed' }, status: 428, detail: /If-Match/ },
    { name: 'garbage If-Match', method: 'PUT', path: '/segments/az', body: { ...AZ, name: 'changed' }, headers: { 'if-match': 'yesterday' }, status: 400, path_: 'header.if-match', detail: /ETag/ },
    { name: 'one bad interaction in a batch', method: 'POST', path: '/interactions', body: [{ contact_id: 'c1', type: 'email_open', occurred_at: TEST_NOW }, { contact_id: 'c1', type: 'email_open', occurred_at: 'last tuesday' }], status: 400, path_: 'body[1].occurred_at', detail: /nothing was written/ },
    { name: 'interaction missing a field', method: 'POST', path: '/interactions', body: [{ contact_id: 'c1', occurred_at: TEST_NOW }], status: 400, path_: 'body[0].type', detail: /required field "type"/ },
    { name: 'unknown contact attribute', method: 'PUT', path: '/contacts/c1', body: { shoe_size: 44 }, status: 400, detail: /shoe_size/ },
    { name: 'a contact id that differs from the path', method: 'PUT', path: '/contacts/c1', body: { id: 'c2', state: 'NY' }, status: 400, path_: 'body.id', detail: /differs/ },
    { name: 'bad value type in a record batch', method: 'POST', path: '/contacts', body: [{ id: 'c1', score: 'high' }], status: 400, path_: 'body[0].score', detail: /nothing was written/ },
    { name: 'unknown segment', method: 'GET', path: '/segments/nope/members', status: 404, detail: /"nope" does not exist/ },
    { name: 'bad since', method: 'GET', path: '/segments/az/changes?since=soon', status: 400, path_: 'query.since', detail: /ISO 8601/ },
    { name: 'bad role', method: 'POST', path: '/keys', body: { role: 'root' }, status: 400, path_: 'body.role', detail: /unknown value "root"/ },
    { name: 'unknown route', method: 'GET', path: '/segmentz', status: 404, detail: /no route/ },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.status}`, async () => {
      const before = await fingerprint(s);
      const res = await s.call(c.method, c.path, { ...(c.body !== undefined ? { body: c.body } : {}), ...(c.raw !== undefined ? { raw: c.raw } : {}), ...(c.headers ? { headers: c.headers } : {}) });
      expect(res.status).toBe(c.status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: c.status, type: expect.stringMatching(/^https:\/\//), title: expect.any(String) });
      expect(res.body.detail).toMatch(c.detail);
      if (c.path_) expect(res.body.errors.map((e: any) => e.path)).toContain(c.path_);
      expect(await fingerprint(s)).toBe(before);
    });
  }
});

describe('HTTP API: a client reads its own writes', () => {
  it('records the membership changes a write causes before answering it (no background loop here to do it later)', async () => {
    const s = await startServer({ live: false, webhooks: false });
    try {
      await s.call('POST', '/segments', { role: 'editor', body: AZ });
      await s.call('POST', '/segments/az/go-live', { role: 'editor' });
      expect((await s.call('POST', '/contacts/delete', { role: 'editor', body: { ids: ['c1'] } })).body.deleted).toBe(1);
      expect((await s.call('GET', '/segments/az/members', { role: 'viewer' })).body.items.map((m: any) => m.id)).toEqual(['c2']);
      await s.call('PUT', '/contacts/c3', { role: 'editor', body: { state: 'AZ' } });
      expect((await s.call('GET', '/segments/az/members', { role: 'viewer' })).body.items.map((m: any) => m.id)).toEqual(['c2', 'c3']);
    } finally {
      await s.close();
    }
  });
});

describe('HTTP API: graceful shutdown', () => {
  it('lets a request in flight finish and keeps what it stored', async () => {
    const s = await startServer();
    try {
      const rows = Array.from({ length: 5000 }, (_, i) => ({ id: `g${i}`, contact_id: CONTACTS[i % CONTACTS.length]!.id, type: 'email_open', occurred_at: TEST_NOW }));
      // Close once the server is inside the request (its handler has called the engine).
      const ingest = s.engine.ingestInteractions.bind(s.engine);
      let handling!: () => void;
      const handled = new Promise<void>((r) => (handling = r));
      s.engine.ingestInteractions = (...args) => {
        handling();
        return ingest(...args);
      };
      const inFlight = s.call('POST', '/interactions', { role: 'editor', body: rows });
      await handled;
      const closing = s.stop();
      const answer = await inFlight;
      await closing;
      expect(answer.status).toBe(200);
      expect(answer.body.inserted).toBe(5000);
      const reopened = await startServer({ db: s.db, live: false, webhooks: false });
      try {
        const [row] = await reopened.engine.store.all<{ n: number }>("SELECT count(*) AS n FROM interactions WHERE id LIKE 'g%'");
        expect(row!.n).toBe(5000);
      } finally {
        await reopened.stop();
      }
    } finally {
      await s.close();
    }
  });
});

describe('HTTP API: concurrent edits of one segment', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ live: false });
    await s.call('POST', '/segments', { role: 'editor', body: AZ });
  });
  afterAll(async () => s.close());

  it('exactly one of two edits made on the same version wins; the other gets 409 and changes nothing', async () => {
    const edit = (name: string) => s.call('PUT', '/segments/az', { role: 'editor', body: { ...AZ, name }, headers: { 'if-match': '"1"' } });
    const results = await Promise.all([edit('first'), edit('second')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!.body.name;
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.detail).toMatch(/saved meanwhile/);
    const now = await s.call('GET', '/segments/az', { role: 'viewer' });
    expect(now.body).toMatchObject({ version: 2, name: winner });
    const [versions] = await s.engine.store.all<{ n: number }>("SELECT count(*) AS n FROM segment_versions WHERE segment_id = 'az'");
    expect(versions!.n).toBe(2);
  });
});

