import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../src/engine/engine.js';
import { targetColumns } from '../src/engine/import/columns.js';
import { buildRowChecks } from '../src/engine/import/validate.js';
import { identifierProblem, textProblem } from '../src/engine/records/value-rules.js';
import { ISO_DATE, ISO_DATETIME, parseInstant } from '../src/definition/operators.js';
import { checkDate, checkDateTime } from '../src/schema/instant.js';
import type { AttributeType } from '../src/schema/types.js';
import { SegmataError } from '../src/errors.js';
import { memoryEngine, tempDir } from './helpers/engine.js';

const tmp = tempDir('segmata-strict-');
afterAll(() => tmp.cleanup());
let fileCounter = 0;
function file(name: string, content: string): string {
  const dir = join(tmp.dir, String(++fileCounter));
  mkdirSync(dir);
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Awkward text per type: the SQL check of the import and the rules' JS form must agree on each. */
const AWKWARD: Record<Exclude<AttributeType, 'string'>, string[]> = {
  number: [
    '0', '-0', '5', ' 5 ', '\t5', '5\n', '+5', '5.', '.5', '+.5', '-.5e-3', '1e5', '1E5', '1e+5', '1.e5', '0005', '1e-400', '1e308', '1.7976931348623157e308',
    '1e309', '-1e309', 'Infinity', '-Infinity', 'inf', 'NaN', 'nan', '9007199254740991', '-9007199254740991', '9007199254740992', '9007199254740993',
    '1e16', '1_000', '1.0_1', '1e1_0', '0x10', '0b1', '1,5', '5-', '--5', '.', '+', '1e', 'e5', '1.5e', '١', '５', 'abc', '5 5',
  ],
  boolean: ['true', 'TRUE', ' True ', 'false', 'yes', 'No', '1', '0', ' 1', 't', 'f', 'y', 'on', '2', 'truee', '\ttrue'],
  date: [
    '2024-01-01', ' 2024-01-01 ', '2024-02-29', '2023-02-29', '1900-02-29', '2000-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00',
    '0000-01-01', '0001-01-01', '9999-12-31', '10000-01-01', '24-01-01', '2024-1-1', '2024/01/01', '2024-01-01T00:00:00Z', '+2024-01-01', '-0001-01-01',
  ],
  datetime: [
    '2024-01-01T00:00:00Z', '2024-01-01T10:00:00+02:00', '2024-01-01T10:00:00-0530', '2024-01-01T10:00:00+14:00', '2024-01-01T10:00:00-14:00',
    '2024-01-01T10:00:00+14', '2024-01-01T10:00:00+1400', '2024-01-01T10:00:00+14:30', '2024-01-01T10:00:00-14:01', '2024-01-01T10:00:00+25:00',
    '2024-01-01T10:00:00+02:60', '2024-01-01T10:00:00+2', '2024-01-01 10:00Z', '2024-01-01T10:00Z', '2024-01-01T10:00:00.123456Z',
    '2024-01-01T10:00:00.1234567Z', '2024-01-01T10:00:00.Z', '2024-01-01T24:00:00Z', '2024-01-01T23:60:00Z', '2024-01-01T23:59:60Z',
    '2024-01-01T10:00:00', '2024-01-01', ' 2024-01-01T10:00:00+02:00 ', '2023-02-29T00:00:00Z', '2024-02-29T12:00:00Z', '0000-01-01',
    '0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00', '0001-01-01T00:00:00-01:00', '9999-12-31T23:59:59Z',
    '9999-12-31T23:00:00-05:00', '9999-12-31T23:00:00+05:00', '0999-06-01T00:00:00Z', ' 024-01-01T00:00:00Z', '+024-01-01T00:00:00Z',
    '2024-01-01t10:00:00z', '2024-01-01T10:00:00 Z', 'yesterday', '1714550000000',
  ],
};

let engine: Engine;
beforeEach(async () => {
  engine = await memoryEngine();
});
afterEach(async () => {
  await engine.close();
});

describe('record value rules: the SQL check and its JS form agree', () => {
  for (const [type, values] of Object.entries(AWKWARD) as [Exclude<AttributeType, 'string'>, string[]][]) {
    it(`on awkward ${type} text`, async () => {
      const cast = engine.store.dialect.tryCast('v', type);
      const rows = await engine.store.all<{ v: string; ok: boolean }>(
        `SELECT v, (${cast}) IS NOT NULL AS ok FROM (SELECT unnest(from_json($1, '["VARCHAR"]')) AS v)`,
        [JSON.stringify(values)],
      );
      const sql = Object.fromEntries(rows.map((r) => [r.v, r.ok]));
      const js = Object.fromEntries(values.map((v) => [v, textProblem(type, v) === undefined]));
      expect(sql).toEqual(js);
      if (type === 'date' || type === 'datetime') {
        // Where both accept, they read the same instant.
        const accepted = values.filter((v) => js[v]);
        const instants = await engine.store.all<{ v: string; ms: number }>(
          `SELECT v, epoch_ms(CAST((${cast}) AS TIMESTAMPTZ)) AS ms FROM (SELECT unnest(from_json($1, '["VARCHAR"]')) AS v)`,
          [JSON.stringify(accepted)],
        );
        const parse = type === 'date' ? checkDate : checkDateTime;
        for (const { v, ms } of instants) expect([v, Number(ms)]).toEqual([v, (parse(v.replace(/^ +| +$/g, '')) as { ms: number }).ms]);
      }
      // Both sides accept some and refuse some: the corpus tests something.
      expect(Object.values(js)).toContain(true);
      expect(Object.values(js)).toContain(false);
    });
  }
});

describe('one set of date rules: records and definitions', () => {
  it('a definition value and a record value in both grammars read the same instant, or are both refused', () => {
    // The grammars differ in form only: a definition may leave out the seconds or write 9
    // fractional digits, a record may put a space for the T or leave out the offset's minutes.
    const recordForm = /T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})$/;
    const both = [...AWKWARD.date, ...AWKWARD.datetime].filter((v) => ISO_DATE.test(v) || (ISO_DATETIME.test(v) && recordForm.test(v)));
    expect(both.length).toBeGreaterThan(20);
    for (const v of both) {
      const record = ISO_DATE.test(v) ? checkDate(v) : checkDateTime(v);
      expect([v, parseInstant(v)]).toEqual([v, record.ok ? record.ms : undefined]);
    }
  });
});

describe('the id rule: the SQL check and its JS form agree', () => {
  it('on control characters and their neighbours', async () => {
    const values = ['c1', 'c 1', 'c\u0000', '\u0001c', 'c\t1', 'c\n', 'c\r', 'c\u001b[31m', 'c\u001f', 'c\u007f', 'c\u0080', 'c\u009b', 'c\u00a0', 'c\u2028', '\u{1f600}'];
    const targets = targetColumns('leads', engine.registry).filter((t) => t.identifier);
    expect(targets.map((t) => t.name)).toEqual(['id', 'contact_id', 'account_id']);
    const staged = await engine.store.stageRecords(values.map((v) => ({ id: v })), { columns: ['id'] });
    const checks = buildRowChecks([{ target: targets[0]!, raw: '"c0"' }], engine.registry, engine.store);
    const rows = await engine.store.all<{ v: string; bad: boolean }>(`SELECT c0 AS v, ${checks.bad} AS bad FROM ${staged.table} ORDER BY rowid`, checks.params);
    expect(rows.map((r) => [r.v, r.bad])).toEqual(values.map((v) => [v, identifierProblem(v) !== undefined]));
    expect(rows.filter((r) => r.bad)).toHaveLength(8);
    await engine.store.run(`DROP TABLE ${staged.table}`);
  });
});

/** Every record table, sorted: equal snapshots mean nothing was written. */
async function snapshot(e: Engine): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const table of ['contacts', 'accounts', 'leads', 'interactions', 'live_dirty']) out[table] = await e.store.all(`SELECT * FROM ${table} ORDER BY ALL`);
  return JSON.stringify(out);
}

async function refusal(promise: Promise<unknown>): Promise<SegmataError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(SegmataError);
    return e as SegmataError;
  }
  throw new Error('expected a refusal');
}

const OPEN = { contact_id: 'c1', type: 'email_open', occurred_at: '2024-05-01T00:00:00Z' };

/** A value of the wrong JSON type or out of range, where, and the reason the engine gives. */
const MISFITS: { kind: 'contacts' | 'interactions'; key: string; value: unknown; reason: string }[] = [
  { kind: 'contacts', key: 'score', value: '5', reason: 'expected a number, found the text "5"' },
  { kind: 'contacts', key: 'score', value: true, reason: 'expected a number, found true' },
  { kind: 'contacts', key: 'score', value: Infinity, reason: 'the number is not finite (beyond ±1.8e308)' },
  { kind: 'contacts', key: 'score', value: -Infinity, reason: 'the number is not finite (beyond ±1.8e308)' },
  { kind: 'contacts', key: 'score', value: NaN, reason: 'NaN is not a number' },
  { kind: 'contacts', key: 'score', value: 9007199254740992, reason: 'the number is beyond ±9007199254740991 (2^53 − 1): larger numbers cannot be stored exactly' },
  { kind: 'contacts', key: 'score', value: -1e300, reason: 'the number is beyond ±9007199254740991 (2^53 − 1): larger numbers cannot be stored exactly' },
  { kind: 'contacts', key: 'email_consent', value: 'yes', reason: 'expected true or false, found the text "yes"' },
  { kind: 'contacts', key: 'email_consent', value: 1, reason: 'expected true or false, found the number 1' },
  { kind: 'contacts', key: 'email_consent', value: 'true', reason: 'expected true or false, found the text "true"' },
  { kind: 'contacts', key: 'first_name', value: 5, reason: 'expected text (a JSON string), found the number 5' },
  { kind: 'contacts', key: 'account_id', value: false, reason: 'expected text (a JSON string), found false' },
  { kind: 'contacts', key: 'birthdate', value: 19900412, reason: 'expected a date as a JSON string (YYYY-MM-DD), found the number 19900412' },
  { kind: 'contacts', key: 'birthdate', value: '2023-02-29', reason: '"2023-02-29" is not a date (no day 29 in 2023-02)' },
  { kind: 'contacts', key: 'birthdate', value: '0000-01-01', reason: '"0000-01-01" is not a date (year 0000 is outside 0001–9999)' },
  { kind: 'contacts', key: 'created_at', value: 1_714_550_400_000, reason: 'expected a date-time as a JSON string (ISO 8601, e.g. 2024-05-01T09:30:00Z), found the number 1714550400000' },
  { kind: 'contacts', key: 'created_at', value: '2024-01-01T00:00:00+25:00', reason: '"2024-01-01T00:00:00+25:00" is not a datetime (offset +25:00 is beyond ±14:00)' },
  { kind: 'contacts', key: 'created_at', value: '0000-01-01T00:00:00Z', reason: '"0000-01-01T00:00:00Z" is not a datetime (year 0000 is outside 0001–9999)' },
  { kind: 'contacts', key: 'created_at', value: '2024-01-01T24:00:00Z', reason: '"2024-01-01T24:00:00Z" is not a datetime (hour 24 does not exist (00–23))' },
  { kind: 'interactions', key: 'contact_id', value: 7, reason: 'expected text (a JSON string), found the number 7' },
  { kind: 'interactions', key: 'occurred_at', value: '2024-05-01T10:00:00-14:30', reason: '"2024-05-01T10:00:00-14:30" is not a datetime (offset -14:30 is beyond ±14:00)' },
  { kind: 'interactions', key: 'occurred_at', value: '2023-02-29T10:00:00Z', reason: '"2023-02-29T10:00:00Z" is not a datetime (no day 29 in 2023-02)' },
  { kind: 'interactions', key: 'campaign_id', value: 5, reason: 'expected text (a JSON string), found the number 5' },
];

describe('records given as objects are typed as declared, never coerced', () => {
  for (const m of MISFITS) {
    it(`${m.kind}: ${m.key} ${String(m.value)} is refused, with its path, and nothing is written`, async () => {
      await engine.upsertRecords('contacts', [{ id: 'c1', score: 1 }]);
      const before = await snapshot(engine);
      const good = m.kind === 'contacts' ? { id: 'c2', score: 2 } : OPEN;
      const bad = m.kind === 'contacts' ? { id: 'c3', [m.key]: m.value } : { ...OPEN, [m.key]: m.value };
      const write = m.kind === 'contacts' ? engine.upsertRecords('contacts', [good, bad]) : engine.ingestInteractions([good, bad]);
      const e = await refusal(write);
      expect(e.issues).toEqual([{ path: `records[1].${m.key}`, message: m.reason }]);
      expect(e.message).toContain(`nothing was written: records[1].${m.key}: ${m.reason}`);
      expect(await snapshot(engine)).toBe(before);
    });
  }

  it('a nested interaction property is named by its path', async () => {
    const e = await refusal(engine.ingestInteractions([{ ...OPEN, properties: { campaign_id: 12 } }]));
    expect(e.issues).toEqual([{ path: 'records[0].properties.campaign_id', message: 'expected text (a JSON string), found the number 12' }]);
  });

  it('takes values of the declared JSON types, up to ±(2^53 − 1), as given', async () => {
    await engine.upsertRecords('contacts', [
      { id: 'n1', score: 9007199254740991, email_consent: false, birthdate: '0001-01-01', created_at: '2024-01-01T10:00:00+14:00' },
      { id: 'n2', score: -9007199254740991, email_consent: true, birthdate: '2024-02-29', created_at: '9999-12-31T23:59:59.999999Z' },
      { id: 'n3', score: 1.5e-300, email_consent: null, first_name: '5', created_at: '2024-01-01T10:00:00-14:00' },
    ]);
    expect(
      await engine.store.all(`SELECT id, score, email_consent, CAST(birthdate AS VARCHAR) AS b, CAST(created_at AS VARCHAR) AS t, first_name FROM contacts WHERE id LIKE 'n%' ORDER BY id`),
    ).toEqual([
      { id: 'n1', score: 9007199254740991, email_consent: false, b: '0001-01-01', t: '2023-12-31 20:00:00+00', first_name: null },
      { id: 'n2', score: -9007199254740991, email_consent: true, b: '2024-02-29', t: '9999-12-31 23:59:59.999999+00', first_name: null },
      { id: 'n3', score: 1.5e-300, email_consent: null, b: null, t: '2024-01-02 00:00:00+00', first_name: '5' },
    ]);
  });
});

/** Write `text` under a fresh directory as `name`. */
const jsonl = (...lines: string[]): string => `${lines.join('\n')}\n`;

describe('JSONL imports are typed as declared, never coerced', () => {
  // The JSON text itself: 1e309 parses to Infinity, 9007199254740993 to 2^53.
  const cases: { line: string; column: string; reason: string }[] = [
    { line: '{"id":"c2","score":"5"}', column: 'score', reason: 'expected a number, found the text "5"' },
    { line: '{"id":"c2","score":1e309}', column: 'score', reason: 'the number is not finite (beyond ±1.8e308)' },
    { line: '{"id":"c2","score":-1e309}', column: 'score', reason: 'the number is not finite (beyond ±1.8e308)' },
    { line: '{"id":"c2","score":9007199254740993}', column: 'score', reason: 'the number is beyond ±9007199254740991 (2^53 − 1): larger numbers cannot be stored exactly' },
    { line: '{"id":"c2","email_consent":"yes"}', column: 'email_consent', reason: 'expected true or false, found the text "yes"' },
    { line: '{"id":"c2","email_consent":1}', column: 'email_consent', reason: 'expected true or false, found the number 1' },
    { line: '{"id":"c2","city":5}', column: 'city', reason: 'expected text (a JSON string), found the number 5' },
    { line: '{"id":5}', column: 'id', reason: 'expected text (a JSON string), found the number 5' },
    { line: '{"id":"c2","birthdate":"2023-02-29"}', column: 'birthdate', reason: '"2023-02-29" is not a date (no day 29 in 2023-02)' },
    { line: '{"id":"c2","created_at":"2024-01-01T00:00:00+25:00"}', column: 'created_at', reason: '"2024-01-01T00:00:00+25:00" is not a datetime (offset +25:00 is beyond ±14:00)' },
    { line: '{"id":"c2","created_at":"0000-01-01"}', column: 'created_at', reason: '"0000-01-01" is not a datetime (year 0000 is outside 0001–9999)' },
  ];
  for (const c of cases) {
    it(`${c.line} is refused as contacts.jsonl:3 column "${c.column}", and nothing is imported`, async () => {
      const before = await snapshot(engine);
      const e = await refusal(engine.importFile('contacts', file('contacts.jsonl', jsonl('{"id":"c1","score":1}', '', c.line))));
      expect(e.message).toBe(`contacts.jsonl: 1 bad row of 2, nothing was imported: contacts.jsonl:3: column "${c.column}": ${c.reason}`);
      expect(e.issues).toEqual([{ path: `contacts.jsonl:3:${c.column}`, message: `column "${c.column}": ${c.reason}` }]);
      expect(await snapshot(engine)).toBe(before);
    });
  }

  it('an interaction property of the wrong type is named by its path', async () => {
    const line = JSON.stringify({ ...OPEN, properties: { campaign_id: 5 } });
    const e = await refusal(engine.importFile('interactions', file('i.jsonl', jsonl(line))));
    expect(e.issues).toEqual([{ path: 'i.jsonl:1:properties.campaign_id', message: 'column "properties.campaign_id": expected text (a JSON string), found the number 5' }]);
  });

  it('with skipBadRows the mistyped lines are reported and the rest imported', async () => {
    const report = await engine.importFile('contacts', file('c.jsonl', jsonl('{"id":"c1","score":1}', '{"id":"c2","score":"2"}', '{"id":"c3","score":3}')), { skipBadRows: true });
    expect(report).toMatchObject({ rows: 3, inserted: 2, badCount: 1, bad: [{ line: 2, column: 'score', reason: 'expected a number, found the text "2"' }] });
  });
});

describe('CSV imports read text by the declared type, with the same ranges and dates', () => {
  const cases: { cell: string; column: string; reason: string }[] = [
    { cell: '1e309', column: 'score', reason: '"1e309": the number is not finite (beyond ±1.8e308)' },
    { cell: 'Infinity', column: 'score', reason: '"Infinity" is not a number' },
    { cell: 'NaN', column: 'score', reason: '"NaN" is not a number' },
    { cell: '9007199254740993', column: 'score', reason: '"9007199254740993": the number is beyond ±9007199254740991 (2^53 − 1): larger numbers cannot be stored exactly' },
    { cell: '1_000', column: 'score', reason: '"1_000" is not a number' },
    { cell: 'maybe', column: 'email_consent', reason: '"maybe" is not a boolean (use true/false, yes/no or 1/0)' },
    { cell: '2023-02-29', column: 'birthdate', reason: '"2023-02-29" is not a date (no day 29 in 2023-02)' },
    { cell: '0000-01-01', column: 'birthdate', reason: '"0000-01-01" is not a date (year 0000 is outside 0001–9999)' },
    { cell: '2024-01-01T00:00:00+25:00', column: 'created_at', reason: '"2024-01-01T00:00:00+25:00" is not a datetime (offset +25:00 is beyond ±14:00)' },
    { cell: '0000-01-01', column: 'created_at', reason: '"0000-01-01" is not a datetime (year 0000 is outside 0001–9999)' },
    { cell: '0001-01-01T00:00:00+01:00', column: 'created_at', reason: '"0001-01-01T00:00:00+01:00" is not a datetime (the instant falls outside years 0001–9999 in UTC)' },
    { cell: '2024-01-01T10:00:00.1234567Z', column: 'created_at', reason: '"2024-01-01T10:00:00.1234567Z" is not a datetime (7 fractional digits; at most 6 (microseconds) are kept)' },
  ];
  for (const c of cases) {
    it(`${c.column} ${c.cell} is refused as c.csv:3 column "${c.column}", and nothing is imported`, async () => {
      const before = await snapshot(engine);
      const e = await refusal(engine.importFile('contacts', file('c.csv', `id,${c.column}\nc1,\nc2,${c.cell}\n`)));
      expect(e.message).toBe(`c.csv: 1 bad row of 2, nothing was imported: c.csv:3: column "${c.column}": ${c.reason}`);
      expect(await snapshot(engine)).toBe(before);
    });
  }

  it('takes the edges of the ranges', async () => {
    await engine.importFile(
      'contacts',
      file('edges.csv', 'id,score,birthdate,created_at\ne1,9007199254740991,0001-01-01,2024-01-01T00:00:00+14:00\ne2,-9007199254740991,9999-12-31,2024-01-01 00:00:00-1400\n'),
    );
    expect(await engine.store.all(`SELECT id, score, CAST(birthdate AS VARCHAR) AS b, CAST(created_at AS VARCHAR) AS t FROM contacts ORDER BY id`)).toEqual([
      { id: 'e1', score: 9007199254740991, b: '0001-01-01', t: '2023-12-31 10:00:00+00' },
      { id: 'e2', score: -9007199254740991, b: '9999-12-31', t: '2024-01-01 14:00:00+00' },
    ]);
  });
});

describe('ids hold no control characters', () => {
  const NOT_AN_ID = 'is not an id: it holds control characters (line breaks, tabs, escapes)';

  it('records given as objects: an id, an interaction id, a contact or account reference', async () => {
    const before = await snapshot(engine);
    const contact = await refusal(engine.upsertRecords('contacts', [{ id: 'c1' }, { id: 'c\u0000x' }, { id: 'c3', account_id: 'a\u001b[31m' }]));
    expect(contact.issues).toEqual([
      { path: 'records[1].id', message: `"c\\u0000x" ${NOT_AN_ID}` },
      { path: 'records[2].account_id', message: `"a\\u001b[31m" ${NOT_AN_ID}` },
    ]);
    const interaction = await refusal(engine.ingestInteractions([{ ...OPEN, id: 'i\n1' }, { ...OPEN, contact_id: 'c\t1' }]));
    expect(interaction.issues.map((i) => i.path)).toEqual(['records[0].id', 'records[1].contact_id']);
    expect(await snapshot(engine)).toBe(before);
    // Text attributes may hold them: a quoted CSV cell keeps its line breaks.
    await engine.upsertRecords('contacts', [{ id: 'c1', city: 'Two\nLines' }]);
  });

  it('JSONL and CSV imports refuse them too, by line and column', async () => {
    const jsonlError = await refusal(engine.importFile('contacts', file('c.jsonl', jsonl('{"id":"c1"}', '{"id":"c\\u0000x"}'))));
    expect(jsonlError.issues).toEqual([{ path: 'c.jsonl:2:id', message: `column "id": "c\\u0000x" ${NOT_AN_ID}` }]);
    const csvError = await refusal(engine.importFile('leads', file('l.csv', 'id,contact_id\nl1,c1\nl2,"c\t2"\n"l\u001b3",\n')));
    expect(csvError.issues).toEqual([
      { path: 'l.csv:3:contact_id', message: `column "contact_id": "c\\t2" ${NOT_AN_ID}` },
      { path: 'l.csv:4:id', message: `column "id": "l\\u001b3" ${NOT_AN_ID}` },
    ]);
    expect(await snapshot(engine)).toBe(JSON.stringify({ contacts: [], accounts: [], leads: [], interactions: [], live_dirty: [] }));
  });
});

describe('unknown references are written, and counted in every report', () => {
  it('counts the rows naming a contact or account that is not stored, per column', async () => {
    await engine.upsertRecords('accounts', [{ id: 'a1' }]);
    const contacts = await engine.upsertRecords('contacts', [{ id: 'c1', account_id: 'a1' }, { id: 'c2', account_id: 'a9' }, { id: 'c3' }, { id: 'c4', account_id: null }]);
    expect(contacts.unknownReferences).toEqual({ account_id: 1 });
    expect((await engine.upsertRecords('accounts', [{ id: 'a2' }])).unknownReferences).toEqual({});
    const leads = await engine.upsertRecords('leads', [{ id: 'l1', contact_id: 'c1', account_id: 'a7' }, { id: 'l2', contact_id: 'c8', account_id: 'a8' }, { id: 'l3', contact_id: 'c9' }]);
    expect(leads.unknownReferences).toEqual({ contact_id: 2, account_id: 2 });
    const ingest = await engine.ingestInteractions([{ ...OPEN, id: 'i1' }, { ...OPEN, id: 'i2', contact_id: 'ghost' }, { ...OPEN, id: 'i3', contact_id: 'ghost' }]);
    expect(ingest).toMatchObject({ inserted: 3, unknownReferences: { contact_id: 2 } });
    // Written all the same (SPEC §1: references may dangle).
    expect(await engine.store.all(`SELECT count(*) AS n FROM interactions WHERE contact_id = 'ghost'`)).toEqual([{ n: 2 }]);
    expect(await engine.store.all(`SELECT account_id FROM contacts WHERE id = 'c2'`)).toEqual([{ account_id: 'a9' }]);
  });

  it('file imports count them too (CSV and JSONL), over the good rows only', async () => {
    await engine.upsertRecords('contacts', [{ id: 'c1' }]);
    const csv = await engine.importFile('interactions', file('i.csv', 'contact_id,type,occurred_at\nc1,email_open,2024-05-01T00:00:00Z\nc5,email_open,2024-05-01T00:00:00Z\nc6,email_open,nope\n'), { skipBadRows: true });
    expect(csv).toMatchObject({ inserted: 2, badCount: 1, unknownReferences: { contact_id: 1 } });
    const lines = jsonl(JSON.stringify({ ...OPEN, contact_id: 'c7' }), JSON.stringify(OPEN));
    expect((await engine.importFile('interactions', file('i.jsonl', lines))).unknownReferences).toEqual({ contact_id: 1 });
    expect((await engine.importFile('contacts', file('c.csv', 'id,account_id\nc2,a1\nc3,\n'))).unknownReferences).toEqual({ account_id: 1 });
    // A file without the referring column names nothing.
    expect((await engine.importFile('contacts', file('c2.csv', 'id,city\nc4,Mesa\n'))).unknownReferences).toEqual({ account_id: 0 });
  });
});
