import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine/engine.js';
import { targetColumns } from '../src/engine/import/columns.js';
import { CsvLineScanner } from '../src/engine/import/csv-lines.js';
import { buildRowChecks } from '../src/engine/import/validate.js';
import type { ImportKind, ImportOptions, ImportProgress } from '../src/engine/import/types.js';
import { SegmataError } from '../src/errors.js';
import { memoryEngine, tempDir } from './helpers/engine.js';

const FIXTURES = new URL('./fixtures/import/', import.meta.url).pathname;
const tmp = tempDir('segmata-import-');
afterAll(() => tmp.cleanup());

let fileCounter = 0;
/** Write `content` to a fresh file named `name` (its extension picks the format). */
function file(name: string, content: string | Buffer): string {
  // One directory per file, so names (which appear in messages) can repeat across tests.
  const dir = join(tmp.dir, String(++fileCounter));
  mkdirSync(dir);
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const jsonl = (...records: unknown[]): string => records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

/** Every record table, sorted, as plain text: equal snapshots mean the database did not change. */
async function snapshot(engine: Engine): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of ['contacts', 'accounts', 'leads', 'interactions']) {
    out[table] = await engine.store.all(`SELECT * FROM ${table} ORDER BY ALL`);
  }
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown[]>;
}

async function rejected(promise: Promise<unknown>): Promise<SegmataError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(SegmataError);
    return e as SegmataError;
  }
  throw new Error('expected the import to be rejected');
}

/** A fresh in-memory database holding the fixtures, so "unchanged" is a real comparison. */
async function populatedEngine(): Promise<Engine> {
  const e = await memoryEngine();
  await e.importFile('accounts', join(FIXTURES, 'accounts.csv'));
  await e.importFile('contacts', join(FIXTURES, 'contacts.csv'));
  await e.importFile('interactions', join(FIXTURES, 'interactions.jsonl'));
  return e;
}

let engine: Engine;
/** Tests that write get a database of their own. */
function freshEngineEach(): void {
  beforeEach(async () => {
    engine = await populatedEngine();
  });
  afterEach(async () => {
    await engine.close();
  });
}

describe('import: well-formed files', () => {
  freshEngineEach();

  it('loads CSV entities with typed values, quoted commas, quotes and newlines', async () => {
    const rows = await engine.store.all(
      `SELECT id, first_name, last_name, city, score, email_consent, CAST(birthdate AS VARCHAR) AS birthdate,
              CAST(created_at AS VARCHAR) AS created_at, account_id FROM contacts ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 'c1', first_name: 'Ann', last_name: 'Lee', city: 'Phoenix', score: 72, email_consent: true, birthdate: '1990-04-12', created_at: '2023-01-05 09:30:00+00', account_id: 'a1' },
      { id: 'c2', first_name: 'Bob "Bobby"', last_name: 'Stone', city: 'Tucson', score: 15, email_consent: false, birthdate: null, created_at: '2023-02-10 16:00:00+00', account_id: 'a2' },
      { id: 'c3', first_name: 'Cleo', last_name: 'Ng\nJr.', city: 'San Diego, CA', score: null, email_consent: true, birthdate: '1985-12-31', created_at: '2023-03-01 00:00:00+00', account_id: null },
    ]);
    const accounts = await engine.store.all('SELECT id, employees, revenue FROM accounts ORDER BY id');
    expect(accounts).toEqual([
      { id: 'a1', employees: 1200, revenue: 35_000_000 },
      { id: 'a2', employees: 80, revenue: null },
    ]);
  });

  it('loads JSONL interactions: properties object or top-level, instants in UTC, a date alone is midnight UTC', async () => {
    const rows = await engine.store.all(
      `SELECT id, contact_id, type, CAST(occurred_at AS VARCHAR) AS at, campaign_id, email_id, link_url, form_id, page_url
       FROM interactions ORDER BY occurred_at`,
    );
    expect(rows).toEqual([
      { id: null, contact_id: 'c2', type: 'form_submit', at: '2024-05-01 00:00:00+00', campaign_id: null, email_id: null, link_url: null, form_id: 'f1', page_url: null },
      { id: 'e2', contact_id: 'c1', type: 'email_click', at: '2024-05-20 06:01:00+00', campaign_id: 'spring', email_id: null, link_url: 'https://example.com/a', form_id: null, page_url: null },
      { id: 'e1', contact_id: 'c1', type: 'email_open', at: '2024-05-20 08:00:00+00', campaign_id: 'spring', email_id: 'm1', link_url: null, form_id: null, page_url: null },
      { id: 'e3', contact_id: 'c3', type: 'website_visit', at: '2024-05-21 10:00:00.25+00', campaign_id: null, email_id: null, link_url: null, form_id: null, page_url: 'https://example.com/p' },
    ]);
  });

  it('reports what it did', async () => {
    const path = file('more.csv', 'id,city\nc1,Mesa\nc9,Yuma\nc9,Flagstaff\n');
    const report = await engine.importFile('contacts', path);
    expect(report).toMatchObject({ file: path, kind: 'contacts', rows: 3, inserted: 1, updated: 1, skipped: 1, bad: [], badCount: 0 });
    expect(report.ms).toBeGreaterThanOrEqual(0);
  });

  it('reads a header-only file as no rows, and CRLF line ends and a BOM as usual', async () => {
    expect(await engine.importFile('contacts', file('empty.csv', 'id,city\n'))).toMatchObject({ rows: 0, inserted: 0 });
    const report = await engine.importFile('contacts', file('crlf.csv', '\uFEFFid,city\r\nc7,"Two\r\nLines"\r\nc8,Mesa\r\n'));
    expect(report).toMatchObject({ rows: 2, inserted: 2 });
    expect(await engine.store.all(`SELECT id, city FROM contacts WHERE id IN ('c7', 'c8') ORDER BY id`)).toEqual([
      { id: 'c7', city: 'Two\r\nLines' },
      { id: 'c8', city: 'Mesa' },
    ]);
  });

  it('imports a custom attribute added to the registry, typed', async () => {
    await engine.addAttribute('contact', 'tier', 'string');
    await engine.addAttribute('contact', 'lifetime_value', 'number');
    await engine.importFile('contacts', file('tiers.csv', 'id,tier,lifetime_value\nc1,gold,1200.5\n'));
    expect(await engine.store.all(`SELECT tier, lifetime_value FROM contacts WHERE id = 'c1'`)).toEqual([{ tier: 'gold', lifetime_value: 1200.5 }]);
    const e = await rejected(engine.importFile('contacts', file('tiers2.csv', 'id,tier,lifetime_value\nc2,silver,lots\n')));
    expect(e.issues).toEqual([{ path: 'tiers2.csv:2:lifetime_value', message: 'column "lifetime_value": "lots" is not a number' }]);
  });

  it('accepts a custom interaction type once declared', async () => {
    const path = file('webinar.csv', 'contact_id,type,occurred_at\nc1,webinar_join,2024-05-02T10:00:00Z\n');
    const before = await rejected(engine.importFile('interactions', path));
    expect(before.issues[0]?.message).toContain('unknown interaction type "webinar_join"');
    await engine.addInteractionType('webinar_join');
    expect(await engine.importFile('interactions', path)).toMatchObject({ inserted: 1 });
  });

  it('tells the phases to a progress callback, in order', async () => {
    const phases: ImportProgress['phase'][] = [];
    await engine.importFile('contacts', file('p.csv', 'id,city\nc1,Mesa\n'), {
      onProgress: (p) => {
        if (phases[phases.length - 1] !== p.phase) phases.push(p.phase);
        if (p.percent !== undefined) expect(p.percent).toBeGreaterThanOrEqual(0);
      },
    });
    expect(phases).toEqual(['reading', 'validating', 'writing']);
  });

  it('reports JSONL reading progress by bytes read, up to 100', async () => {
    const reading: number[] = [];
    await engine.importFile('contacts', file('p.jsonl', jsonl({ id: 'c1' }, { id: 'c2' })), {
      onProgress: (p) => {
        if (p.phase === 'reading' && p.percent !== undefined) reading.push(p.percent);
      },
    });
    expect(reading[reading.length - 1]).toBe(100);
  });

  it('is not disturbed by a progress callback that throws', async () => {
    const report = await engine.importFile('contacts', file('t.jsonl', jsonl({ id: 'c1', city: 'Mesa' })), {
      onProgress: () => {
        throw new Error('display broke');
      },
    });
    expect(report).toMatchObject({ updated: 1 });
  });
});

describe('import: upsert by id', () => {
  freshEngineEach();

  it('CSV: a later row replaces every column of its header, other columns stay', async () => {
    await engine.importFile('contacts', file('upd.csv', 'id,city,score\nc1,Mesa,\n'));
    expect(await engine.store.all(`SELECT first_name, city, score, state FROM contacts WHERE id = 'c1'`)).toEqual([
      { first_name: 'Ann', city: 'Mesa', score: null, state: 'AZ' },
    ]);
  });

  it('JSONL: only the keys present are replaced; an explicit null or "" clears', async () => {
    await engine.importFile('contacts', file('upd.jsonl', jsonl({ id: 'c1', city: 'Mesa', score: null, last_name: '' })));
    expect(await engine.store.all(`SELECT first_name, last_name, city, score, state FROM contacts WHERE id = 'c1'`)).toEqual([
      { first_name: 'Ann', last_name: null, city: 'Mesa', score: null, state: 'AZ' },
    ]);
  });

  it('duplicates of an id within a file merge in file order, last carried value per column', async () => {
    const report = await engine.importFile(
      'contacts',
      file('dups.jsonl', jsonl({ id: 'n1', city: 'A', score: 1 }, { id: 'n1', state: 'NV' }, { id: 'n1', city: 'B', score: null }, { id: 'c2', city: 'X' }, { id: 'c2', city: 'Y' })),
    );
    expect(report).toMatchObject({ rows: 5, inserted: 1, updated: 1, skipped: 3 });
    expect(await engine.store.all(`SELECT id, city, state, score, first_name FROM contacts WHERE id IN ('n1', 'c2') ORDER BY id`)).toEqual([
      { id: 'c2', city: 'Y', state: 'AZ', score: 15, first_name: 'Bob "Bobby"' },
      { id: 'n1', city: 'B', state: 'NV', score: null, first_name: null },
    ]);
    await engine.importFile('contacts', file('dups.csv', 'id,city\nn2,A\nn2,B\n'));
    expect(await engine.store.all(`SELECT city FROM contacts WHERE id = 'n2'`)).toEqual([{ city: 'B' }]);
  });

  it('keeps exactly one row per id over repeated imports', async () => {
    const path = join(FIXTURES, 'contacts.csv');
    const report = await engine.importFile('contacts', path);
    expect(report).toMatchObject({ inserted: 0, updated: 3 });
    expect(await engine.store.all('SELECT count(*) AS n, count(DISTINCT id) AS ids FROM contacts')).toEqual([{ n: 3, ids: 3 }]);
  });
});

describe('import: interactions are append-only and idempotent by id', () => {
  freshEngineEach();

  it('re-importing the same file adds only the rows without an id', async () => {
    const before = await engine.store.all<{ n: number }>('SELECT count(*) AS n FROM interactions');
    const report = await engine.importFile('interactions', join(FIXTURES, 'interactions.jsonl'));
    expect(report).toMatchObject({ rows: 4, inserted: 1, skipped: 3 });
    const after = await engine.store.all<{ n: number }>('SELECT count(*) AS n FROM interactions');
    expect(after[0]?.n).toBe((before[0]?.n ?? 0) + 1);
  });

  it('an id repeated within the file is imported once (the first)', async () => {
    const path = file('rep.csv', 'id,contact_id,type,occurred_at,campaign_id\nx1,c1,email_open,2024-05-01T00:00:00Z,first\nx1,c1,email_open,2024-05-01T00:00:00Z,second\nx2,c2,email_open,2024-05-02T00:00:00Z,\n');
    expect(await engine.importFile('interactions', path)).toMatchObject({ rows: 3, inserted: 2, skipped: 1 });
    expect(await engine.store.all(`SELECT campaign_id FROM interactions WHERE id = 'x1'`)).toEqual([{ campaign_id: 'first' }]);
    expect(await engine.importFile('interactions', path)).toMatchObject({ inserted: 0, skipped: 3 });
  });
});

interface BadCase {
  name: string;
  kind: ImportKind;
  fileName: string;
  content: string | Buffer;
  issues: { path: string; message: string }[];
}

const BAD_CASES: BadCase[] = [
  {
    name: 'unknown CSV column',
    kind: 'contacts',
    fileName: 'c.csv',
    content: 'id,city,shoe_size\nc1,Mesa,42\n',
    issues: [{ path: 'c.csv:1:shoe_size', message: expect.stringContaining('column "shoe_size": unknown column of contact (known: id, first_name') as unknown as string }],
  },
  {
    name: 'duplicate and missing CSV header columns',
    kind: 'interactions',
    fileName: 'i.csv',
    content: 'contact_id,type,type\nc1,email_open,email_open\n',
    issues: [
      { path: 'i.csv:1:type', message: 'column "type": the column appears more than once' },
      { path: 'i.csv:1:occurred_at', message: 'column "occurred_at": required column is missing' },
    ],
  },
  {
    name: 'unknown JSONL key (at the first line that has it)',
    kind: 'contacts',
    fileName: 'c.jsonl',
    content: jsonl({ id: 'c1' }, { id: 'c2', shoe_size: 42 }),
    issues: [{ path: 'c.jsonl:2:shoe_size', message: expect.stringContaining('column "shoe_size": unknown column') as unknown as string }],
  },
  {
    name: 'missing id',
    kind: 'contacts',
    fileName: 'c.csv',
    content: 'id,city\nc1,Mesa\n,Yuma\n',
    issues: [{ path: 'c.csv:3:id', message: 'column "id": missing value (required)' }],
  },
  {
    name: 'missing id key in JSONL',
    kind: 'accounts',
    fileName: 'a.jsonl',
    content: jsonl({ id: 'a9', name: 'Ok' }, { name: 'No id' }),
    issues: [{ path: 'a.jsonl:2:id', message: 'column "id": missing value (required)' }],
  },
  {
    name: 'not a number',
    kind: 'contacts',
    fileName: 'contacts.csv',
    content: 'id,score\nc1,12\nc2,abc\n',
    issues: [{ path: 'contacts.csv:3:score', message: 'column "score": "abc" is not a number' }],
  },
  {
    name: 'not a boolean',
    kind: 'contacts',
    fileName: 'c.jsonl',
    content: jsonl({ id: 'c1', email_consent: 'maybe' }),
    issues: [{ path: 'c.jsonl:1:email_consent', message: 'column "email_consent": expected true or false, found the text "maybe"' }],
  },
  {
    name: 'unparseable date',
    kind: 'contacts',
    fileName: 'c.csv',
    content: 'id,birthdate\nc1,12/04/1990\nc2,1990-02-30\n',
    issues: [
      { path: 'c.csv:2:birthdate', message: 'column "birthdate": "12/04/1990" is not a date (expected YYYY-MM-DD)' },
      { path: 'c.csv:3:birthdate', message: 'column "birthdate": "1990-02-30" is not a date (no day 30 in 1990-02)' },
    ],
  },
  {
    name: 'unparseable datetime (no zone, or not a date)',
    kind: 'interactions',
    fileName: 'i.csv',
    content: 'contact_id,type,occurred_at\nc1,email_open,2024-05-01 10:00:00\nc1,email_open,yesterday\n',
    issues: [
      { path: 'i.csv:2:occurred_at', message: expect.stringContaining('"2024-05-01 10:00:00" is not a datetime') as unknown as string },
      { path: 'i.csv:3:occurred_at', message: expect.stringContaining('"yesterday" is not a datetime') as unknown as string },
    ],
  },
  {
    name: 'unknown interaction type and missing required values',
    kind: 'interactions',
    fileName: 'i.jsonl',
    content: jsonl({ contact_id: 'c1', type: 'email_opened', occurred_at: '2024-05-01T00:00:00Z' }, { type: 'email_open', occurred_at: null }),
    issues: [
      { path: 'i.jsonl:1:type', message: 'column "type": unknown interaction type "email_opened" (declare it in the schema registry first)' },
      { path: 'i.jsonl:2:contact_id', message: 'column "contact_id": missing value (required)' },
      { path: 'i.jsonl:2:occurred_at', message: 'column "occurred_at": missing value (required)' },
    ],
  },
  {
    name: 'CSV row with the wrong number of fields',
    kind: 'contacts',
    fileName: 'c.csv',
    content: 'id,city,state\nc1,Mesa,AZ\nc2,Yuma\nc3,Tempe,AZ,extra\n',
    issues: [
      { path: 'c.csv:3', message: 'expected 3 fields, found 2' },
      { path: 'c.csv:4', message: 'expected 3 fields, found 4' },
    ],
  },
  {
    name: 'CSV text after a closing quote',
    kind: 'contacts',
    fileName: 'c.csv',
    content: 'id,city\nc1,"Mesa"x\nc2,ok\n',
    issues: [{ path: 'c.csv:2', message: 'unexpected text after a closing quote' }],
  },
  {
    name: 'CSV quoted field never closed',
    kind: 'contacts',
    fileName: 'c.csv',
    content: 'id,city\nc1,Mesa\nc2,"never closed\nc3,x\n',
    issues: [{ path: 'c.csv:3', message: 'a quoted field is never closed' }],
  },
  {
    name: 'CSV row that is not UTF-8',
    kind: 'contacts',
    fileName: 'c.csv',
    // The rows after the refused one must keep their right lines.
    content: Buffer.concat([Buffer.from('id,score\nc1,1\nc2,'), Buffer.from([0xff, 0xfe]), Buffer.from('\nc3,x\u00fc\nc4,1,extra\n')]),
    issues: [
      { path: 'c.csv:3', message: 'not valid UTF-8 text' },
      { path: 'c.csv:4:score', message: 'column "score": "x\u00fc" is not a number' },
      { path: 'c.csv:5', message: 'expected 2 fields, found 3' },
    ],
  },
  {
    name: 'invalid JSON and non-object lines',
    kind: 'contacts',
    fileName: 'c.jsonl',
    content: jsonl({ id: 'c1' }, '{"id": "c2",', '[1, 2]', { id: 'c3', city: { name: 'Mesa' } }),
    issues: [
      { path: 'c.jsonl:2', message: expect.stringContaining('invalid JSON') as unknown as string },
      { path: 'c.jsonl:3', message: 'expected a JSON object' },
      { path: 'c.jsonl:4:city', message: 'column "city": expected a single value, found an object' },
    ],
  },
  {
    name: 'empty CSV file',
    kind: 'contacts',
    fileName: 'c.csv',
    content: '',
    issues: [{ path: 'c.csv:1', message: expect.stringContaining('the file is empty') as unknown as string }],
  },
];

describe('import: every bad row is named, and the database is left unchanged', () => {
  // Rejections must not write, and each test checks exactly that; so they can share a database.
  beforeAll(async () => {
    engine = await populatedEngine();
  });
  afterAll(async () => {
    await engine.close();
  });

  it.each(BAD_CASES)('$name', async (c) => {
    const before = await snapshot(engine);
    const e = await rejected(engine.importFile(c.kind, file(c.fileName, c.content)));
    expect(e.code).toBe('invalid_import');
    expect(e.issues).toEqual(c.issues);
    // The one-line message names file, line, column and reason of the first problem.
    const first = c.issues[0];
    expect(e.message).toContain(`${c.fileName}:${first?.path.split(':')[1]}: `);
    expect(await snapshot(engine)).toEqual(before);
  });

  it('formats the message as file:line: column "name": reason', async () => {
    const e = await rejected(engine.importFile('contacts', file('contacts.csv', 'id,score\nc1,1\nc2,2\nc3,abc\n')));
    expect(e.message).toContain('contacts.csv:4: column "score": "abc" is not a number');
    expect(e.message).toContain('1 bad row of 3');
  });

  it('names the physical line when quoted fields hold newlines (LF and CRLF)', async () => {
    const lf = 'id,city,score\nc1,"two\nlines",1\nc2,"three\n\nlines",x\nc3,ok\n"c4","a ""quoted""\nvalue",y\n';
    const e1 = await rejected(engine.importFile('contacts', file('lf.csv', lf)));
    expect(e1.issues.map((i) => i.path)).toEqual(['lf.csv:4:score', 'lf.csv:7', 'lf.csv:8:score']);
    const e2 = await rejected(engine.importFile('contacts', file('crlf.csv', lf.replaceAll('\n', '\r\n'))));
    expect(e2.issues.map((i) => i.path)).toEqual(['crlf.csv:4:score', 'crlf.csv:7', 'crlf.csv:8:score']);
  });

  it('counts blank lines in JSONL line numbers', async () => {
    const e = await rejected(engine.importFile('contacts', file('b.jsonl', `\n${JSON.stringify({ id: 'c1' })}\n\n\n${JSON.stringify({ id: 'c2', score: 'high' })}\n`)));
    expect(e.issues.map((i) => i.path)).toEqual(['b.jsonl:5:score']);
  });

  it('rejects an unknown extension with a clear error', async () => {
    const e = await rejected(engine.importFile('contacts', file('contacts.txt', 'id\nc1\n')));
    expect(e.code).toBe('invalid_import');
    expect(e.message).toContain('contacts.txt');
    expect(e.message).toMatch(/\.csv.*\.jsonl/);
  });

  it('rejects a missing file', async () => {
    const e = await rejected(engine.importFile('contacts', join(tmp.dir, 'nope.csv')));
    expect(e.code).toBe('not_found');
  });
});

describe('import: skipping bad rows', () => {
  freshEngineEach();

  const options: ImportOptions = { skipBadRows: true };

  it('imports the good rows and reports the bad ones', async () => {
    const content = 'id,city,score\nn1,Mesa,1\n,Nowhere,2\nn2,"Two\nLines",x\nn3,Yuma\nn4,Tempe,4\n';
    const report = await engine.importFile('contacts', file('mixed.csv', content), options);
    expect(report).toMatchObject({ rows: 5, inserted: 2, updated: 0, skipped: 0, badCount: 3 });
    expect(report.bad).toEqual([
      { line: 3, column: 'id', reason: 'missing value (required)' },
      { line: 4, column: 'score', reason: '"x" is not a number' },
      { line: 6, reason: 'expected 3 fields, found 2' },
    ]);
    expect(await engine.store.all(`SELECT id, city, score FROM contacts WHERE id LIKE 'n%' ORDER BY id`)).toEqual([
      { id: 'n1', city: 'Mesa', score: 1 },
      { id: 'n4', city: 'Tempe', score: 4 },
    ]);
  });

  it('skips bad JSONL lines and bad interactions, keeping the good ones', async () => {
    const content = jsonl(
      { id: 'k1', contact_id: 'c1', type: 'email_open', occurred_at: '2024-05-03T00:00:00Z', properties: { campaign_id: 'x' } },
      'not json',
      { id: 'k2', contact_id: 'c1', type: 'nope', occurred_at: '2024-05-03T00:00:00Z' },
      { id: 'k3', contact_id: 'c2', type: 'email_open', occurred_at: '2024-05-03T00:00:00Z', properties: { colour: 'red' } },
      { id: 'k4', contact_id: 'c2', type: 'email_click', occurred_at: '2024-05-04T00:00:00Z' },
    );
    const report = await engine.importFile('interactions', file('k.jsonl', content), options);
    expect(report).toMatchObject({ rows: 5, inserted: 2, skipped: 0, badCount: 3 });
    expect(report.bad.map((b) => [b.line, b.column])).toEqual([
      [2, undefined],
      [3, 'type'],
      [4, 'properties.colour'],
    ]);
    expect(await engine.store.all(`SELECT id FROM interactions WHERE id LIKE 'k%' ORDER BY id`)).toEqual([{ id: 'k1' }, { id: 'k4' }]);
  });

  it('merges the good duplicates of an id around a bad one', async () => {
    const report = await engine.importFile('contacts', file('d.csv', 'id,score,city\nd1,1,A\nd1,x,B\nd1,3,\n'), options);
    expect(report).toMatchObject({ rows: 3, inserted: 1, skipped: 1, badCount: 1 });
    expect(await engine.store.all(`SELECT score, city FROM contacts WHERE id = 'd1'`)).toEqual([{ score: 3, city: null }]);
  });

  it('an unknown CSV column still rejects the whole file', async () => {
    const before = await snapshot(engine);
    await rejected(engine.importFile('contacts', file('x.csv', 'id,nope\nc1,1\n'), options));
    expect(await snapshot(engine)).toEqual(before);
  });

  it('describes the first 100 bad rows and counts them all', async () => {
    const lines = ['id,score'];
    for (let i = 0; i < 150; i++) lines.push(`b${i},${i % 2 ? 'bad' : i}`);
    const report = await engine.importFile('contacts', file('many.csv', lines.join('\n') + '\n'), options);
    expect(report).toMatchObject({ rows: 150, inserted: 75, badCount: 75 });
    expect(report.bad).toHaveLength(75);
    const more = ['id,score'];
    for (let i = 0; i < 250; i++) more.push(`m${i},bad`);
    const e = await rejected(engine.importFile('contacts', file('more.csv', more.join('\n') + '\n')));
    expect(e.issues).toHaveLength(100);
    expect(e.issues[99]?.path).toBe('more.csv:101:score');
    expect(e.message).toContain('250 bad rows of 250');
  });
});

describe('row checks', () => {
  freshEngineEach();

  it('the folded file-wide predicate agrees with the individual checks on awkward values', async () => {
    const values = [
      null, ' ', '  x', 'abc', '1', ' 1 ', '1e3', 'true', 'yes', '2024-01-01', '2024-02-30', '2024-01-01T00:00:00Z', ' 2024-01-01T10:00:00+02:00 ', '2024-01-01 10:00', 'email_open', ' email_open',
      // The range rules: non-finite, past 2^53, digit separators, impossible offsets, years and hours.
      '1e309', 'NaN', '-Infinity', '9007199254740993', '1_000', '2024-01-01T00:00:00+25:00', '0000-01-01', '0000-01-01T00:00:00Z', '2023-02-29T00:00:00Z', '2024-01-01T24:00:00Z',
      '9999-12-31T23:00:00-05:00',
      // Ids and references hold no control characters.
      'x\u0000y', 'a\tb', 'x\u007f', 'x\u0085',
    ];
    const valid = { contacts: { id: 'ok' }, interactions: { contact_id: 'c1', type: 'email_open', occurred_at: '2024-01-01' } };
    for (const kind of ['contacts', 'interactions'] as const) {
      const targets = targetColumns(kind, engine.registry);
      // A valid record with one column changed, so no other column can mask a disagreement.
      const records = [valid[kind], ...targets.flatMap((t) => values.map((v) => ({ ...valid[kind], [t.name]: v })))];
      const staged = await engine.store.stageFile(file(`${kind}.jsonl`, jsonl(...records)), { format: 'jsonl', columns: targets.map((t) => t.name) });
      const columns = staged.columns.map((name, i) => ({ target: targets.find((t) => t.name === name)!, raw: `c${i}` }));
      const checks = buildRowChecks(columns, engine.registry, engine.store);
      const any = checks.checks.map((c) => c.when).join(' OR ');
      const [row] = await engine.store.all<{ disagree: number; bad: number; n: number }>(
        `SELECT count(*) FILTER (WHERE ${checks.bad} <> (${any})) AS disagree, count(*) FILTER (WHERE ${checks.bad}) AS bad, count(*) AS n FROM ${staged.table}`,
        checks.params,
      );
      expect(row?.disagree).toBe(0);
      expect(row?.bad).toBeGreaterThan(0);
      expect(row?.bad).toBeLessThan(row?.n ?? 0);
      await engine.store.run(`DROP TABLE ${staged.table}`);
    }
  });
});

describe('CSV line scanner', () => {
  const scan = (text: string, columns: number, wanted: number[]) => {
    const s = new CsvLineScanner(columns, wanted, Number.POSITIVE_INFINITY);
    // Feed byte by byte across boundaries to prove chunking does not matter.
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += 3) s.feed(bytes.subarray(i, i + 3));
    return s.end();
  };

  it('maps staged positions to start lines across quoted newlines, CRLF and blank lines', () => {
    const text = 'a,b\r\n1,"x\r\ny"\r\n\r\n2,"p""q"\n3,"\n\n"\n4,z';
    const map = scan(text, 2, [0, 1, 2, 3]);
    expect([...map.lines.entries()]).toEqual([
      [0, 2],
      [1, 5],
      [2, 6],
      [3, 9],
    ]);
    expect(map.malformed).toEqual([]);
  });

  it('finds refused records: wrong field count, text after a quote, unclosed quote', () => {
    const map = scan('a,b\n1\n2,"x"y\n  \n3,ok\n4,"never\nclosed\n', 2, [0]);
    expect(map.lines.get(0)).toBe(5);
    expect(map.malformed).toEqual([
      { line: 2, reason: 'expected 2 fields, found 1' },
      { line: 3, reason: 'unexpected text after a closing quote' },
      { line: 4, reason: 'expected 2 fields, found 1' },
      { line: 6, reason: 'a quoted field is never closed' },
    ]);
  });

  it('treats a blank line as a record in a one-column file', () => {
    const map = scan('id\nA\n\nB\n', 1, [0, 1, 2]);
    expect([...map.lines.values()]).toEqual([2, 3, 4]);
  });
});
