import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { DuckDBConnection } from '@duckdb/node-api';
import { SegmataError } from '../../errors.js';
import type { RecordStageOptions, SqlRunner, StageIssue, StageOptions, StagedFile } from '../store.js';
import { ChunkWriter, type ChunkColumn, type ChunkValue } from './chunk-writer.js';

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
    private readonly check?: RecordStageOptions['checkValue'],
  ) {
    this.values = new Array<Scalar>(index.size).fill(null);
    this.carried = new Array<boolean>(index.size).fill(false);
  }

  refuse(reason: string, column?: string): void {
    this.issues.push(column === undefined ? { line: this.line, reason } : { line: this.line, column, reason });
  }

  set(name: string, given: unknown, label: string, fromNested: boolean): void {
    // Records given as JS objects: an undefined property is absent (as JSON.stringify has it),
    // and a Date is its ISO instant.
    if (given === undefined) return;
    const value = given instanceof Date ? (Number.isNaN(given.getTime()) ? String(given) : given.toISOString()) : given;
    const i = this.index.get(name);
    if (i === undefined) return this.refuse(`unknown column (known: ${this.known})`, label);
    if (this.carried[i]) {
      return this.refuse(fromNested || this.nested.has(i) ? 'given both at the top level and nested' : 'given twice', label);
    }
    if (value !== null && typeof value === 'object') {
      return this.refuse(`expected a single value, found ${Array.isArray(value) ? 'an array' : 'an object'}`, label);
    }
    if (typeof value === 'function' || typeof value === 'symbol') return this.refuse(`expected a single value, found a ${typeof value}`, label);
    // Typed JSON is taken as typed, never coerced: "5" is not a number.
    const problem = value === null ? undefined : this.check?.(i, value);
    if (problem !== undefined) return this.refuse(problem, label);
    this.carried[i] = true;
    if (fromNested) this.nested.add(i);
    // Empty text is staged as NULL, as DuckDB's CSV reader does: "" means no value.
    this.values[i] = value === null || value === '' ? null : String(value);
  }
}

/**
 * Feeds parsed records to the stager: `accept` a record's value with its line (a file line, or
 * a 1-based position), or `refuse` a line that has none. A callback rather than an iterator, so
 * a file costs no extra promise per line.
 */
type RecordFeed = (accept: (line: number, value: unknown) => void, refuse: (line: number, reason: string) => void) => Promise<void> | void;

function toRecord(value: unknown, line: number, index: ReadonlyMap<string, number>, known: string, options: RecordStageOptions): JsonlRecord {
  const { flatten } = options;
  const rec = new JsonlRecord(index, known, line, options.checkValue);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    rec.refuse('expected a JSON object');
    return rec;
  }
  for (const [key, v] of Object.entries(value)) {
    if (key !== flatten) {
      rec.set(key, v, key, false);
    } else if (v === null || v === undefined) {
      continue;
    } else if (typeof v !== 'object' || Array.isArray(v)) {
      rec.refuse('expected an object', key);
    } else {
      for (const [inner, w] of Object.entries(v)) rec.set(inner, w, `${key}.${inner}`, true);
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
  const total = statSync(path).size;
  let input: ReturnType<typeof createReadStream> | undefined;
  const lines: RecordFeed = async (accept, refuse) => {
    // Opened only once the stage table is ready: a flowing stream would lose what it emits before.
    input = createReadStream(path);
    let bytesRead = 0;
    input.on('data', (chunk) => {
      bytesRead += chunk.length;
      options.onRead?.(bytesRead, total);
    });
    let line = 0;
    for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
      line++;
      const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        refuse(line, `invalid JSON (${e instanceof Error ? e.message : String(e)})`);
        continue;
      }
      accept(line, value);
    }
  };
  try {
    return await appendRecords(conn, db, table, options, lines);
  } catch (e) {
    if (e instanceof SegmataError) throw e;
    throw new SegmataError('invalid_import', `${path}: cannot read the JSONL file (${e instanceof Error ? e.message : String(e)})`);
  } finally {
    input?.destroy();
  }
}

/**
 * Stage records given as JS objects exactly as JSONL lines are staged (an absent key is not
 * carried, an explicit null is), so they share the import's validation and merge. A record's
 * line is its 1-based position in `rows`.
 */
export async function stageRecords(
  conn: DuckDBConnection,
  db: SqlRunner,
  rows: readonly unknown[],
  table: string,
  options: RecordStageOptions,
): Promise<StagedFile> {
  const positions: RecordFeed = (accept, refuse) => {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (row === null || typeof row !== 'object' || Array.isArray(row)) refuse(i + 1, 'expected an object');
      else accept(i + 1, row);
    }
  };
  try {
    return await appendRecords(conn, db, table, options, positions);
  } catch (e) {
    if (e instanceof SegmataError) throw e;
    throw new SegmataError('invalid_import', `cannot stage the records (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * Append fed records to a new temporary table of text columns, in data chunks. A record that
 * cannot be staged (not an object, unknown or repeated keys) is counted and sampled instead.
 */
async function appendRecords(
  conn: DuckDBConnection,
  db: SqlRunner,
  table: string,
  options: RecordStageOptions,
  feed: RecordFeed,
): Promise<StagedFile> {
  const columns = [...options.columns];
  const index = new Map(columns.map((c, i) => [c, i]));
  const known = columns.join(', ');
  const defs = columns.map((_, i) => `c${i} VARCHAR, k${i} BOOLEAN`);
  await db.run(`CREATE TEMP TABLE ${q(db, table)} (_line BIGINT${defs.length ? ', ' : ''}${defs.join(', ')})`);

  const appender = await conn.createAppender(table, 'main', 'temp');
  const kinds: ChunkColumn[] = ['bigint', ...columns.flatMap((): ChunkColumn[] => ['text', 'boolean'])];
  const writer = new ChunkWriter(appender, kinds);
  const row: ChunkValue[] = new Array<ChunkValue>(kinds.length);
  const sample: StageIssue[] = [];
  let rows = 0;
  let rejected = 0;
  const reject = (issues: readonly StageIssue[]): void => {
    rejected++;
    for (const issue of issues) if (sample.length < SAMPLE_LIMIT) sample.push(issue);
  };
  const accept = (line: number, value: unknown): void => {
    const rec = toRecord(value, line, index, known, options);
    if (rec.issues.length > 0) return reject(rec.issues);
    row[0] = line;
    for (let i = 0; i < columns.length; i++) {
      row[1 + 2 * i] = rec.values[i] ?? null;
      row[2 + 2 * i] = rec.carried[i] ?? false;
    }
    writer.row(row);
    rows++;
  };
  try {
    await feed(accept, (line, reason) => reject([{ line, reason }]));
    writer.flush();
    appender.closeSync();
  } catch (e) {
    try {
      appender.closeSync();
    } catch {
      // The append already failed; the table is dropped below either way.
    }
    await db.run(`DROP TABLE IF EXISTS ${q(db, table)}`).catch(() => undefined);
    throw e;
  }
  return { table, columns, rows, keyed: true, rejected, rejectedSample: sample };
}
