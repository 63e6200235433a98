import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/api.js';
import { runCli } from './helpers/cli.js';
import { tempDir, TEST_NOW } from './helpers/engine.js';

/** What a refused request must leave unchanged: every record table. */
async function records(s: TestServer): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const table of ['contacts', 'accounts', 'leads', 'interactions']) out[table] = await s.engine.store.all(`SELECT * FROM ${table} ORDER BY ALL`);
  return JSON.stringify(out);
}

const OPEN = { contact_id: 'c1', type: 'email_open', occurred_at: TEST_NOW };

describe('HTTP API: record bodies are typed as declared, never coerced', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => s.close());

  /** A body (or its raw JSON text, for literals JSON.stringify cannot write), the path at fault and the reason. */
  const cases: { name: string; method: 'POST' | 'PUT'; path: string; body?: unknown; raw?: string; at: string; reason: string }[] = [
    { name: '"5" for a number', method: 'POST', path: '/contacts', body: [{ id: 'n1', score: 1 }, { id: 'n2', score: '5' }], at: 'body[1].score', reason: 'expected a number, found the text "5"' },
    { name: '"yes" for a boolean', method: 'POST', path: '/contacts', body: [{ id: 'n1', email_consent: 'yes' }], at: 'body[0].email_consent', reason: 'expected true or false, found the text "yes"' },
    { name: '1 for a boolean', method: 'POST', path: '/contacts', body: [{ id: 'n1', email_consent: 1 }], at: 'body[0].email_consent', reason: 'expected true or false, found the number 1' },
    { name: '5 for text', method: 'POST', path: '/accounts', body: [{ id: 'a1', industry: 5 }], at: 'body[0].industry', reason: 'expected text (a JSON string), found the number 5' },
    { name: '1e309 (Infinity once parsed)', method: 'POST', path: '/contacts', raw: '[{"id":"n1","score":1e309}]', at: 'body[0].score', reason: 'the number is not finite (beyond ±1.8e308)' },
    { name: '9007199254740993 (rounded once parsed)', method: 'POST', path: '/leads', raw: '[{"id":"l1","rating":9007199254740993}]', at: 'body[0].rating', reason: 'the number is beyond ±9007199254740991 (2^53 − 1): larger numbers cannot be stored exactly' },
    { name: 'a "5" in a single upsert', method: 'PUT', path: '/contacts/c1', body: { score: '5' }, at: 'body.score', reason: 'expected a number, found the text "5"' },
    { name: 'an offset of +25:00', method: 'PUT', path: '/contacts/c1', body: { created_at: '2024-01-01T00:00:00+25:00' }, at: 'body.created_at', reason: '"2024-01-01T00:00:00+25:00" is not a datetime (offset +25:00 is beyond ±14:00)' },
    { name: 'year 0000', method: 'POST', path: '/contacts', body: [{ id: 'n1', birthdate: '0000-01-01' }], at: 'body[0].birthdate', reason: '"0000-01-01" is not a date (year 0000 is outside 0001–9999)' },
    { name: '2023-02-29', method: 'POST', path: '/leads', body: [{ id: 'l1', created_at: '2023-02-29T10:00:00Z' }], at: 'body[0].created_at', reason: '"2023-02-29T10:00:00Z" is not a datetime (no day 29 in 2023-02)' },
    { name: 'an interaction at +25:00', method: 'POST', path: '/interactions', body: [OPEN, { ...OPEN, occurred_at: '2024-05-01T00:00:00+25:00' }], at: 'body[1].occurred_at', reason: '"2024-05-01T00:00:00+25:00" is not a datetime (offset +25:00 is beyond ±14:00)' },
    { name: 'a property of the wrong type', method: 'POST', path: '/interactions', body: [{ ...OPEN, properties: { campaign_id: 5 } }], at: 'body[0].properties.campaign_id', reason: 'expected text (a JSON string), found the number 5' },
    { name: 'an id with a NUL', method: 'POST', path: '/contacts', body: [{ id: 'n\u0000x' }], at: 'body[0].id', reason: '"n\\u0000x" is not an id: it holds control characters (line breaks, tabs, escapes)' },
    { name: 'a path id with a terminal escape', method: 'PUT', path: `/contacts/${encodeURIComponent('\u001b[31mred')}`, body: { city: 'Mesa' }, at: 'path.id', reason: '"\\u001b[31mred" is not an id: it holds control characters (line breaks, tabs, escapes)' },
    { name: 'a top-level property of the wrong type', method: 'POST', path: '/interactions', body: [{ ...OPEN, page_url: true }], at: 'body[0].page_url', reason: 'expected text (a JSON string), found true' },
  ];
  for (const c of cases) {
    it(`${c.method} ${c.path}: ${c.name} is a 400 naming ${c.at}, and nothing changes`, async () => {
      const before = await records(s);
      const res = await s.call(c.method, c.path, c.raw !== undefined ? { raw: c.raw, headers: { 'content-type': 'application/json' } } : { body: c.body });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ path: c.at, message: c.reason }]);
      expect(res.body.detail).toContain(`${c.at}: ${c.reason}`);
      expect(await records(s)).toBe(before);
    });
  }

  it('write answers say how many records name an unknown contact or account', async () => {
    const ingest = await s.call('POST', '/interactions', { body: [OPEN, { ...OPEN, contact_id: 'ghost' }] });
    expect(ingest.status).toBe(200);
    expect(ingest.body).toEqual({ received: 2, inserted: 2, updated: 0, skipped: 0, unknownReferences: { contact_id: 1 } });
    const leads = await s.call('POST', '/leads', { body: [{ id: 'l1', contact_id: 'c1', account_id: 'nowhere' }] });
    expect(leads.body.unknownReferences).toEqual({ contact_id: 0, account_id: 1 });
    expect((await s.call('POST', '/contacts', { body: [{ id: 'c9', account_id: 'nowhere' }] })).body.unknownReferences).toEqual({ account_id: 1 });
    expect((await s.call('POST', '/accounts', { body: [{ id: 'a1' }] })).body.unknownReferences).toEqual({});
    const upload = await fetch(`${s.base}/api/v1/imports/interactions?name=i.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.keys.editor}`, 'content-type': 'text/csv' },
      body: `contact_id,type,occurred_at\nc1,email_open,${TEST_NOW}\nx1,email_open,${TEST_NOW}\nx2,email_open,${TEST_NOW}\n`,
    });
    expect(upload.status).toBe(200);
    expect(await upload.json()).toMatchObject({ rows: 3, inserted: 3, unknownReferences: { contact_id: 2 } });
  });
});

describe('segmata import: the summary says how many records name unknown ones', () => {
  const { dir, cleanup } = tempDir('segmata-strict-cli-');
  afterAll(cleanup);
  const segmata = (...args: string[]) => runCli(['--db', join(dir, 'test.duckdb'), ...args], { cwd: dir, env: { SEGMATA_NOW: TEST_NOW } });

  it('prints the unknown contacts and accounts, and nothing when all are known', async () => {
    writeFileSync(join(dir, 'contacts.csv'), 'id,account_id\nC1,\nC2,A9\n');
    writeFileSync(join(dir, 'leads.csv'), 'id,contact_id,account_id\nL1,C1,A8\nL2,C7,A9\n');
    writeFileSync(join(dir, 'interactions.csv'), `contact_id,type,occurred_at\nC1,email_open,${TEST_NOW}\nC5,email_open,${TEST_NOW}\nC6,email_open,${TEST_NOW}\n`);
    writeFileSync(join(dir, 'known.csv'), `contact_id,type,occurred_at\nC1,email_open,${TEST_NOW}\n`);
    const contacts = await segmata('import', 'contacts', 'contacts.csv');
    expect(contacts.code).toBe(0);
    expect(contacts.stdout).toMatch(/^contacts\.csv: 2 rows read, 2 inserted, 0 updated in \d+\.\d s \(1 refers to an unknown account\)$/m);
    expect((await segmata('import', 'leads', 'leads.csv')).stdout).toMatch(/\(1 refers to an unknown contact, 2 refer to unknown accounts\)$/m);
    expect((await segmata('import', 'interactions', 'interactions.csv')).stdout).toMatch(/^interactions\.csv: 3 rows read, 3 inserted in \d+\.\d s \(2 refer to unknown contacts\)$/m);
    expect((await segmata('import', 'interactions', 'known.csv')).stdout).toMatch(/^known\.csv: 1 row read, 1 inserted in \d+\.\d s$/m);
  });
});
