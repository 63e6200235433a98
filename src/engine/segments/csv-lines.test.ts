import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryEngine } from '../../../test/helpers/engine.js';
import type { Engine } from '../engine.js';
import { csvCell, csvLines, type CsvColumn } from './csv-lines.js';

/** The lines as the export wrote them before: every column converted to JS, then `csvCell(…)`. */
async function byJs(engine: Engine, columns: readonly CsvColumn[]): Promise<string[]> {
  const rows = await engine.store.all('SELECT c.* FROM contacts AS c ORDER BY c.id');
  return rows.map((row) => columns.map((c) => csvCell(row[c.name], c.type)).join(','));
}

describe('a CSV cell', () => {
  it('neutralises text a spreadsheet would run as a formula: prefixed with a quote, and quoted', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    for (const s of ['+1', '-2+3', '@SUM(A1)', '\tx', '\rx', '=']) expect(csvCell(s, 'string')).toBe(`"'${s}"`);
    expect(csvCell('a=1')).toBe('a=1');
    expect(csvCell('a,b')).toBe('"a,b"');
  });

  it('leaves typed numbers as numbers (a spreadsheet reads -5 as minus five, never as a formula)', () => {
    expect(csvCell(-5, 'number')).toBe('-5');
    expect(csvCell(-1.5e-7, 'number')).toBe('-1.5e-7');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('-5', 'string')).toBe(`"'-5"`);
  });
});

async function byDatabase(engine: Engine, columns: readonly CsvColumn[]): Promise<string[]> {
  const csv = csvLines(engine.store.dialect, columns, 'c');
  return (await engine.store.all(`SELECT ${csv.select} FROM contacts AS c ORDER BY c.id`)).map(csv.line);
}

describe('CSV lines rendered mostly by the database', () => {
  let engine: Engine;
  let columns: CsvColumn[];
  beforeAll(async () => {
    engine = await memoryEngine();
    await engine.addAttribute('contact', 'vip', 'boolean');
    await engine.addAttribute('contact', 'renewal', 'date');
    await engine.addAttribute('contact', 'note', 'string');
    columns = [{ name: 'id', type: 'string' }, ...engine.registry.attributes('contact')];
  });
  afterAll(async () => engine.close());

  it('equal the JS rendering for quotes, commas, line breaks, formulas, empty and missing values, and every type', async () => {
    await engine.upsertRecords('contacts', [
      { id: 'a', first_name: 'Ada "the first"', last_name: 'Lovelace, Countess', city: 'line\nbreak', state: 'cr\rhere', score: 0.1, vip: true, renewal: '2024-02-29', created_at: '2024-05-01T10:20:30.123Z', note: '' },
      { id: 'b', score: -0, vip: false, note: 'naïve ✓ 🎉', email_consent: false },
      { id: 'c', score: 1e-7, created_at: '1969-12-31T23:59:59.999Z' },
      { id: 'd', score: 9007199254740991, birthdate: '1999-12-31' },
      { id: 'e', score: 123456789.25, job_title: ',', phone: '"' },
      { id: 'f' },
      { id: '=g', first_name: '=1+2', last_name: '+SUM(A1)', city: '-3', state: '@x', job_title: '\tTab', phone: '\rcr', note: '=HYPERLINK("http://evil","a, b")', score: -5 },
    ]);
    expect(await byDatabase(engine, columns)).toEqual(await byJs(engine, columns));
  });

  it('equal the JS rendering for random text and numbers', async () => {
    const text = fc.option(fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\n', '\r', 'é', '1', '=', '+', '-', '@', '\t'), maxLength: 8 }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ first_name: text, note: text, score: fc.option(fc.double({ noNaN: true, min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), { nil: undefined }), vip: fc.option(fc.boolean(), { nil: undefined }) }), { minLength: 1, maxLength: 12 }),
        async (records) => {
          await engine.store.run('DELETE FROM contacts');
          await engine.upsertRecords('contacts', records.map((r, i) => ({ id: `r${String(i).padStart(3, '0')}`, ...r })));
          expect(await byDatabase(engine, columns)).toEqual(await byJs(engine, columns));
        },
      ),
      { numRuns: 40 },
    );
  });
});
