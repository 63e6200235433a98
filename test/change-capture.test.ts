import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine/engine.js';
import { SegmataError } from '../src/errors.js';
import { memoryEngine, tempDir, TEST_NOW } from './helpers/engine.js';

const tmp = tempDir('segmata-capture-');
afterAll(() => tmp.cleanup());

let engine: Engine;

/** The change queue as sorted [contact_id, source] pairs. */
async function queued(): Promise<[string, string][]> {
  const rows = await engine.store.all<{ contact_id: string; source: string }>('SELECT contact_id, source FROM live_dirty ORDER BY contact_id, source');
  return rows.map((r) => [r.contact_id, r.source]);
}

async function clearQueue(): Promise<void> {
  await engine.store.run('DELETE FROM live_dirty');
}

/** Every record table and the queue, as plain text: equal snapshots mean nothing changed. */
async function snapshot(): Promise<unknown> {
  const out: Record<string, unknown[]> = {};
  for (const table of ['contacts', 'accounts', 'leads', 'interactions', 'live_dirty']) {
    out[table] = await engine.store.all(`SELECT * FROM ${table} ORDER BY ALL`);
  }
  return JSON.parse(JSON.stringify(out));
}

async function rejected(promise: Promise<unknown>): Promise<SegmataError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(SegmataError);
    return e as SegmataError;
  }
  throw new Error('expected the write to be refused');
}

/** Two accounts; c1, c2 at a1, c3 at a2, c4 at none; one lead. Queue emptied. */
beforeEach(async () => {
  engine = await memoryEngine();
  await engine.upsertRecords('accounts', [
    { id: 'a1', name: 'Acme', employees: 1200 },
    { id: 'a2', name: 'Globex' },
    { id: 'a3', name: 'Initech' },
  ]);
  await engine.upsertRecords('contacts', [
    { id: 'c1', city: 'Phoenix', score: 72, account_id: 'a1' },
    { id: 'c2', city: 'Tucson', score: 15, account_id: 'a1' },
    { id: 'c3', city: 'Mesa', account_id: 'a2' },
    { id: 'c4', city: 'Yuma' },
  ]);
  await engine.upsertRecords('leads', [{ id: 'l1', topic: 'demo', contact_id: 'c1' }]);
  await clearQueue();
});
afterEach(async () => {
  await engine.close();
});

describe('change capture: entity writes', () => {
  it('a contact upsert enqueues every written contact once, inserted or updated, at the clock instant', async () => {
    const report = await engine.upsertRecords('contacts', [
      { id: 'c1', score: 80 },
      { id: 'c9', city: 'Flagstaff' },
      { id: 'c1', city: 'Chandler' },
    ]);
    expect(report).toMatchObject({ file: 'records', kind: 'contacts', rows: 3, inserted: 1, updated: 1, skipped: 1, badCount: 0 });
    expect(await queued()).toEqual([
      ['c1', 'contact'],
      ['c9', 'contact'],
    ]);
    const at = await engine.store.all<{ at: Date }>('SELECT DISTINCT enqueued_at AS at FROM live_dirty');
    expect(at.map((r) => r.at.toISOString())).toEqual([new Date(TEST_NOW).toISOString()]);
  });

  it('an absent key keeps the stored value, an explicit null clears it, and values may be typed', async () => {
    await engine.upsertRecords('contacts', [
      { id: 'c1', city: null, email_consent: true, created_at: new Date('2024-01-02T03:04:05Z'), birthdate: '1990-04-12' },
    ]);
    const [row] = await engine.store.all(
      `SELECT city, score, email_consent, CAST(created_at AS VARCHAR) AS created_at, CAST(birthdate AS VARCHAR) AS birthdate FROM contacts WHERE id = 'c1'`,
    );
    expect(row).toEqual({ city: null, score: 72, email_consent: true, created_at: '2024-01-02 03:04:05+00', birthdate: '1990-04-12' });
  });

  it('a key carried by some records of a batch leaves the others\' stored values alone', async () => {
    await engine.upsertRecords('contacts', [{ id: 'c1', city: 'Globe' }, { id: 'c2', score: 5 }, { id: 'c8' }]);
    expect(await engine.store.all(`SELECT id, city, score FROM contacts WHERE id IN ('c1', 'c2', 'c8') ORDER BY id`)).toEqual([
      { id: 'c1', city: 'Globe', score: 72 },
      { id: 'c2', city: 'Tucson', score: 5 },
      { id: 'c8', city: null, score: null },
    ]);
  });

  it('a contact file import enqueues like an upsert', async () => {
    const path = join(tmp.dir, 'contacts.csv');
    writeFileSync(path, 'id,city\nc2,Tempe\nc7,Globe\n');
    await engine.importFile('contacts', path);
    expect(await queued()).toEqual([
      ['c2', 'contact'],
      ['c7', 'contact'],
    ]);
  });

  it('an account upsert enqueues the contacts pointing at the written accounts, and only those', async () => {
    await engine.upsertRecords('accounts', [{ id: 'a1', employees: 1300 }, { id: 'a3', name: 'Initech' }, { id: 'a8', name: 'New' }]);
    expect(await queued()).toEqual([
      ['c1', 'account'],
      ['c2', 'account'],
    ]);
  });

  it('an account file import enqueues its contacts too', async () => {
    const path = join(tmp.dir, 'accounts.jsonl');
    writeFileSync(path, `${JSON.stringify({ id: 'a2', industry: 'Retail' })}\n`);
    await engine.importFile('accounts', path);
    expect(await queued()).toEqual([['c3', 'account']]);
  });

  it('a lead upsert enqueues nothing', async () => {
    const report = await engine.upsertRecords('leads', [{ id: 'l1', status: 'won' }, { id: 'l2', contact_id: 'c2' }]);
    expect(report).toMatchObject({ inserted: 1, updated: 1 });
    expect(await queued()).toEqual([]);
  });
});

describe('change capture: interactions', () => {
  it('enqueues one entry per contact and interaction type of the appended rows', async () => {
    const report = await engine.ingestInteractions([
      { id: 'e1', contact_id: 'c1', type: 'email_open', occurred_at: '2024-05-20T08:00:00Z', properties: { campaign_id: 'spring' } },
      { id: 'e2', contact_id: 'c1', type: 'email_open', occurred_at: '2024-05-21T08:00:00Z' },
      { id: 'e3', contact_id: 'c1', type: 'email_click', occurred_at: '2024-05-21T08:00:00Z', link_url: 'https://example.com' },
      { contact_id: 'c2', type: 'form_submit', occurred_at: '2024-05-01' },
    ]);
    expect(report).toMatchObject({ kind: 'interactions', rows: 4, inserted: 4, skipped: 0 });
    expect(await queued()).toEqual([
      ['c1', 'interaction:email_click'],
      ['c1', 'interaction:email_open'],
      ['c2', 'interaction:form_submit'],
    ]);
    expect(await engine.store.all(`SELECT id, campaign_id, link_url FROM interactions ORDER BY id`)).toEqual([
      { id: 'e1', campaign_id: 'spring', link_url: null },
      { id: 'e2', campaign_id: null, link_url: null },
      { id: 'e3', campaign_id: null, link_url: 'https://example.com' },
      { id: null, campaign_id: null, link_url: null },
    ]);
  });

  it('a re-sent interaction is skipped and enqueues nothing; a batch mixing old and new enqueues only the new', async () => {
    const first = [
      { id: 'e1', contact_id: 'c1', type: 'email_open', occurred_at: '2024-05-20T08:00:00Z' },
      { id: 'e2', contact_id: 'c2', type: 'email_click', occurred_at: '2024-05-20T08:00:00Z' },
    ];
    await engine.ingestInteractions(first);
    await clearQueue();
    expect(await engine.ingestInteractions(first)).toMatchObject({ inserted: 0, skipped: 2 });
    expect(await queued()).toEqual([]);
    const mixed = [...first, { id: 'e3', contact_id: 'c3', type: 'email_open', occurred_at: '2024-05-21T08:00:00Z' }];
    expect(await engine.ingestInteractions(mixed)).toMatchObject({ inserted: 1, skipped: 2 });
    expect(await queued()).toEqual([['c3', 'interaction:email_open']]);
    expect(await engine.store.all('SELECT count(*) AS n FROM interactions')).toEqual([{ n: 3 }]);
  });

  it('an id repeated within a batch is appended and enqueued once', async () => {
    const row = { id: 'e1', contact_id: 'c4', type: 'website_visit', occurred_at: '2024-05-20T08:00:00Z' };
    expect(await engine.ingestInteractions([row, { ...row, page_url: 'x' }])).toMatchObject({ inserted: 1, skipped: 1 });
    expect(await queued()).toEqual([['c4', 'interaction:website_visit']]);
  });

  it('an interaction file import enqueues like an ingest', async () => {
    const path = join(tmp.dir, 'interactions.csv');
    writeFileSync(path, 'contact_id,type,occurred_at\nc3,email_sent,2024-05-01T00:00:00Z\nc3,email_sent,2024-05-02T00:00:00Z\n');
    await engine.importFile('interactions', path);
    expect(await queued()).toEqual([['c3', 'interaction:email_sent']]);
  });
});

describe('change capture: refused writes change nothing', () => {
  it('a bad record refuses the whole upsert, writes and enqueues nothing, and names the record and field', async () => {
    const before = await snapshot();
    const error = await rejected(
      engine.upsertRecords('contacts', [{ id: 'c1', score: 1 }, { id: 'c5', score: 'abc' }, { id: 'c6', shoe_size: 42 }, 'c7' as unknown as Record<string, unknown>]),
    );
    expect(error.code).toBe('invalid_import');
    expect(error.message).toBe(
      'contacts: 3 bad records of 4, nothing was written: records[1].score: expected a number, found the text "abc"; ' +
        'records[2].shoe_size: unknown column (known: id, first_name, last_name, email, phone, job_title, city, state, country, birthdate, created_at, score, email_consent, account_id); ' +
        'records[3]: expected an object',
    );
    expect(error.issues.map((i) => i.path)).toEqual(['records[1].score', 'records[2].shoe_size', 'records[3]']);
    expect(error.issues[0]?.message).toBe('expected a number, found the text "abc"');
    expect(await snapshot()).toEqual(before);
  });

  it('a bad interaction refuses the whole batch; nested properties are named by their path', async () => {
    const before = await snapshot();
    const error = await rejected(
      engine.ingestInteractions([
        { id: 'e1', contact_id: 'c1', type: 'email_open', occurred_at: '2024-05-20T08:00:00Z' },
        { id: 'e2', contact_id: 'c1', type: 'email_opened', occurred_at: '2024-05-20T08:00:00Z' },
        { id: 'e3', contact_id: 'c1', type: 'email_open', occurred_at: 'yesterday' },
        { id: 'e4', type: 'email_open', occurred_at: '2024-05-20T08:00:00Z', properties: { campaign_id: { nested: 1 } } },
      ]),
    );
    expect(error.issues).toEqual([
      { path: 'records[1].type', message: 'unknown interaction type "email_opened" (declare it in the schema registry first)' },
      { path: 'records[2].occurred_at', message: expect.stringContaining('"yesterday" is not a datetime') as unknown as string },
      { path: 'records[3].properties.campaign_id', message: 'expected a single value, found an object' },
    ]);
    expect(error.message).toMatch(/^interactions: 3 bad records of 4, nothing was written: records\[1\]\.type: unknown interaction type/);
    expect(await snapshot()).toEqual(before);
  });

  it('a missing required field is named', async () => {
    const error = await rejected(engine.upsertRecords('accounts', [{ name: 'No id' }]));
    expect(error.issues).toEqual([{ path: 'records[0].id', message: 'missing value (required)' }]);
    const noContact = await rejected(engine.ingestInteractions([{ type: 'email_open', occurred_at: '2024-05-20T08:00:00Z' }]));
    expect(noContact.issues).toEqual([{ path: 'records[0].contact_id', message: 'missing value (required)' }]);
  });

  it('a bad row in a file import enqueues nothing', async () => {
    const path = join(tmp.dir, 'bad-contacts.csv');
    writeFileSync(path, 'id,score\nc1,5\nc2,many\n');
    const before = await snapshot();
    await rejected(engine.importFile('contacts', path));
    expect(await snapshot()).toEqual(before);
  });

  it('with skipBadRows only the good records are written and enqueued; the report locates the bad ones', async () => {
    const report = await engine.upsertRecords('contacts', [{ id: 'c1', score: 'high' }, { id: 'c2', score: 3 }], { skipBadRows: true });
    expect(report).toMatchObject({ rows: 2, updated: 1, badCount: 1, bad: [{ line: 1, column: 'score', reason: 'expected a number, found the text "high"' }] });
    expect(await queued()).toEqual([['c2', 'contact']]);
  });

  it('the kind and the rows are checked', async () => {
    expect((await rejected(engine.upsertRecords('interactions' as 'contacts', []))).code).toBe('invalid_argument');
    expect((await rejected(engine.ingestInteractions({} as Record<string, unknown>[]))).code).toBe('invalid_argument');
    expect(await engine.ingestInteractions([])).toMatchObject({ rows: 0, inserted: 0 });
  });
});

describe('deleteRecords', () => {
  it('deletes contacts, ignores unknown ids, enqueues the deleted ones and keeps their interactions', async () => {
    await engine.ingestInteractions([{ id: 'e1', contact_id: 'c1', type: 'email_open', occurred_at: '2024-05-20T08:00:00Z' }]);
    await clearQueue();
    expect(await engine.deleteRecords('contacts', ['c1', 'c3', 'nope', 'c1'])).toBe(2);
    expect(await engine.store.all('SELECT id FROM contacts ORDER BY id')).toEqual([{ id: 'c2' }, { id: 'c4' }]);
    expect(await queued()).toEqual([
      ['c1', 'deleted'],
      ['c3', 'deleted'],
    ]);
    expect(await engine.store.all('SELECT id FROM interactions')).toEqual([{ id: 'e1' }]);
  });

  it('deleting an account enqueues the contacts that pointed at it', async () => {
    expect(await engine.deleteRecords('accounts', ['a1', 'a3'])).toBe(2);
    expect(await engine.store.all('SELECT id FROM accounts')).toEqual([{ id: 'a2' }]);
    expect(await queued()).toEqual([
      ['c1', 'account'],
      ['c2', 'account'],
    ]);
  });

  it('deleting leads enqueues nothing; unknown ids alone delete and enqueue nothing', async () => {
    expect(await engine.deleteRecords('leads', ['l1'])).toBe(1);
    expect(await engine.store.all('SELECT count(*) AS n FROM leads')).toEqual([{ n: 0 }]);
    expect(await engine.deleteRecords('contacts', ['x', 'y'])).toBe(0);
    expect(await engine.deleteRecords('contacts', [])).toBe(0);
    expect(await queued()).toEqual([]);
  });

  it('refuses a non-string id', async () => {
    const error = await rejected(engine.deleteRecords('contacts', ['c1', 7 as unknown as string]));
    expect(error.issues).toEqual([{ path: 'ids[1]', message: 'expected a string' }]);
    expect(await engine.store.all('SELECT count(*) AS n FROM contacts')).toEqual([{ n: 4 }]);
  });
});
