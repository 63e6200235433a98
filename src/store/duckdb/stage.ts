import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { DuckDBDataChunkWriter, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { SegmataError } from '../../errors.js';
import type { SqlRunner, StageIssue, StageOptions, StagedFile } from '../store.js';

/** How many refused records are described; the rest are only counted. */
const SAMPLE_LIMIT = 100;

const q = (db: SqlRunner, name: string): string => db.dialect.ident(name);

/**
 * Stage an import file as a temporary table of text columns (`c0`, `c1`, … in `columns` order)
 * without ever holding the file in memory: CSV goes through DuckDB's own parallel reader,
 * JSONL is read line by line and bulk-appended in data chunks.
 */
export async function stageFile(
  conn: DuckDBConnection,
  db: SqlRunner,
  path: string,
  table: string,
  options: StageOptions,
): Promise<StagedFile> {
  return options.format === 'csv' ? stageCsv(db, path, table, options.columns) : stageJsonl(conn, db, path, table, options);
}

async function stageCsv(db: SqlRunner, path: string, table: string, columns: readonly string[]): Promise<StagedFile> {
  // Columns get generated names: header text never enters SQL, and DuckDB's renaming of
  // duplicate or odd names can never surprise the caller. Every option is explicit, so the
  // sniffer cannot guess a different dialect from an unusual first rows.
  const spec = columns.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const rejects = `${table}_rejects`;
  const scans = `${table}_scans`;
  try {
    await db.run(
      `CREATE TEMP TABLE ${q(db, table)} AS SELECT * FROM read_csv($1, header = true, auto_detect = false,
        delim = ',', quote = '"', escape = '"', strict_mode = true, columns = {${spec}},
        store_rejects = true, rejects_table = '${rejects}', rejects_scan = '${scans}')`,
      [path],
    );
    const [count] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${q(db, table)}`);
    // One refused row can be reported once per missing column; DuckDB's line is per record.
    const [refused] = await db.all<{ n: number }>(`SELECT count(DISTINCT line) AS n FROM ${q(db, rejects)}`);
    return { table, columns: [...columns], rows: count?.n ?? 0, keyed: false, rejected: refused?.n ?? 0, rejectedSample: [] };
  } catch (e) {
    await db.run(`DROP TABLE IF EXISTS ${q(db, table)}`).catch(() => undefined);
    throw new SegmataError('invalid_import', `${path}: cannot read the CSV file (${e instanceof Error ? e.message : String(e)})`);
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${q(db, rejects)}`).catch(() => undefined);
    await db.run(`DROP TABLE IF EXISTS ${q(db, scans)}`).catch(() => undefined);
  }
}

type Scalar = string | null;

/** One JSONL line turned into staged values, or the reasons it cannot be staged. */
class JsonlRecord {
  readonly values: Scalar[];
  readonly carried: boolean[];
  readonly issues: StageIssue[] = [];
  private readonly nested = new Set<number>();

  constructor(
    private readonly index: ReadonlyMap<string, number>,
    private readonly known: string,
    readonly line: number,
  ) {
    this.values = new Array<Scalar>(index.size).fill(null);
    this.carried = new Array<boolean>(index.size).fill(false);
  }

  refuse(reason: string, column?: string): void {
    this.issues.push(column === undefined ? { line: this.line, reason } : { line: this.line, column, reason });
  }

  set(name: string, value: unknown, label: string, fromNested: boolean): void {
    const i = this.index.get(name);
    if (i === undefined) return this.refuse(`unknown column (known: ${this.known})`, label);
    if (this.carried[i]) {
      return this.refuse(fromNested || this.nested.has(i) ? 'given both at the top level and nested' : 'given twice', label);
    }
    if (value !== null && typeof value === 'object') {
      return this.refuse(`expected a single value, found ${Array.isArray(value) ? 'an array' : 'an object'}`, label);
    }
    this.carried[i] = true;
    if (fromNested) this.nested.add(i);
    // Empty text is staged as NULL, as DuckDB's CSV reader does: "" means no value.
    this.values[i] = value === null || value === '' ? null : String(value);
  }
}

function parseLine(text: string, line: number, index: ReadonlyMap<string, number>, known: string, flatten?: string): JsonlRecord {
  const rec = new JsonlRecord(index, known, line);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    rec.refuse(`invalid JSON (${e instanceof Error ? e.message : String(e)})`);
    return rec;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    rec.refuse('expected a JSON object');
    return rec;
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (key !== flatten) {
      rec.set(key, value, key, false);
    } else if (value === null) {
      continue;
    } else if (typeof value !== 'object' || Array.isArray(value)) {
      rec.refuse('expected an object', key);
    } else {
      for (const [inner, v] of Object.entries(value)) rec.set(inner, v, `${key}.${inner}`, true);
    }
  }
  return rec;
}

async function stageJsonl(
  conn: DuckDBConnection,
  db: SqlRunner,
  path: string,
  table: string,
  options: StageOptions,
): Promise<StagedFile> {
  const columns = [...options.columns];
  const index = new Map(columns.map((c, i) => [c, i]));
  const known = columns.join(', ');
  const defs = columns.map((_, i) => `c${i} VARCHAR, k${i} BOOLEAN`);
  await db.run(`CREATE TEMP TABLE ${q(db, table)} (_line BIGINT${defs.length ? ', ' : ''}${defs.join(', ')})`);

  const total = statSync(path).size;
  const input = createReadStream(path);
  let bytesRead = 0;
  input.on('data', (chunk) => {
    bytesRead += chunk.length;
    options.onRead?.(bytesRead, total);
  });
  const appender = await conn.createAppender(table, 'main', 'temp');
  const writer = DuckDBDataChunkWriter.forAppender(appender);
  const row: DuckDBValue[] = new Array<DuckDBValue>(1 + 2 * columns.length);
  const sample: StageIssue[] = [];
  let rows = 0;
  let rejected = 0;
  let line = 0;
  try {
    for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
      line++;
      const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      const rec = parseLine(text, line, index, known, options.flatten);
      if (rec.issues.length > 0) {
        rejected++;
        for (const issue of rec.issues) if (sample.length < SAMPLE_LIMIT) sample.push(issue);
        continue;
      }
      row[0] = BigInt(line);
      for (let i = 0; i < columns.length; i++) {
        row[1 + 2 * i] = rec.values[i] ?? null;
        row[2 + 2 * i] = rec.carried[i] ?? false;
      }
      writer.appendRow(row);
      rows++;
    }
    writer.flush();
    appender.closeSync();
  } catch (e) {
    input.destroy();
    try {
      appender.closeSync();
    } catch {
      // The append already failed; the table is dropped below either way.
    }
    await db.run(`DROP TABLE IF EXISTS ${q(db, table)}`).catch(() => undefined);
    if (e instanceof SegmataError) throw e;
    throw new SegmataError('invalid_import', `${path}: cannot read the JSONL file (${e instanceof Error ? e.message : String(e)})`);
  }
  return { table, columns, rows, keyed: true, rejected, rejectedSample: sample };
}
