import { SegmataError } from '../../errors.js';
import { TABLES } from '../../schema/defaults.js';
import type { RecordKind } from '../../schema/types.js';
import type { Row, SqlRunner, SqlValue, StagedFile } from '../../store/store.js';
import { enqueueAccountContacts, enqueueContacts, enqueueInteractions, interactionEntries, type QueueEntry } from '../records/change-capture.js';
import { presentSql, type StagedColumn } from './validate.js';

/** Which staged rows to write. */
export interface GoodRows {
  /** SQL predicate over a staged row (`true` when no row is bad), using `params`. */
  where: string;
  params: SqlValue[];
  count: number;
  /** Every staged row passed the checks, so values convert with plain casts. */
  allValid: boolean;
  /**
   * The caller knows every staged id is distinct (records given as objects are checked in JS
   * while they are at hand), so the repeated-id query is skipped: a small batch saves a statement.
   */
  idsDistinct?: boolean;
}

export interface WriteCounts {
  inserted: number;
  updated: number;
  skipped: number;
}

/**
 * The staged text of a column as the stored value (the stage never holds empty text). When
 * every row passed the checks a plain cast gives the same value as the checking one for a
 * fraction of the cost (no pattern match); otherwise the checking cast keeps a skipped bad row
 * from ever failing the statement.
 */
function convert(db: SqlRunner, column: StagedColumn, allValid: boolean, raw = column.raw): string {
  const { type } = column.target;
  if (type === 'string') return raw;
  // Casts accept surrounding spaces; text of spaces only is a missing value.
  if (allValid && type !== 'boolean') return `CAST(CASE WHEN ${presentSql(raw)} THEN ${raw} END AS ${db.dialect.columnType(type)})`;
  return db.dialect.tryCast(raw, type);
}

/**
 * How many good rows repeat an id of an earlier one. Counting distinct hashes is much cheaper
 * than distinct strings and answers the common "none"; a hash collision only means the exact
 * count runs too.
 */
async function repeatedIds(db: SqlRunner, staged: StagedFile, id: string, good: GoodRows): Promise<number> {
  if (good.idsDistinct) return 0;
  const from = `FROM ${db.dialect.ident(staged.table)} WHERE ${presentSql(id)} AND ${good.where}`;
  const [hashed] = await db.all<{ n: number }>(`SELECT count(*) - count(DISTINCT hash(${id})) AS n ${from}`, good.params);
  if ((hashed?.n ?? 0) === 0) return 0;
  const [exact] = await db.all<{ n: number }>(`SELECT count(*) - count(DISTINCT ${id}) AS n ${from}`, good.params);
  return exact?.n ?? 0;
}

async function anyRow(db: SqlRunner, sql: string, params: readonly SqlValue[] = []): Promise<boolean> {
  return (await db.all(`${sql} LIMIT 1`, params)).length > 0;
}

async function countRows(db: SqlRunner, table: string): Promise<number> {
  const [row] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${db.dialect.ident(table)}`);
  return row?.n ?? 0;
}

/** One incoming record per id: the staged rows, or their per-id merge when ids repeat. */
function incomingRecords(
  db: SqlRunner,
  staged: StagedFile,
  id: StagedColumn,
  attributes: readonly StagedColumn[],
  good: GoodRows,
  repeated: boolean,
): string {
  const stage = db.dialect.ident(staged.table);
  if (!repeated) {
    const values = attributes.flatMap((c, i) => [`${convert(db, c, good.allValid)} AS v${i}`, ...(c.carried ? [`${c.carried} AS h${i}`] : [])]);
    return `SELECT ${[`${id.raw} AS id`, ...values].join(', ')} FROM ${stage} WHERE ${good.where}`;
  }
  // Rows of one id merge in file order: per column the last carried value wins, and
  // `arg_max_null` keeps a carried null (plain `arg_max` would skip it).
  const picks = attributes.flatMap((c, i) =>
    c.carried
      ? [`arg_max_null(${c.raw}, rowid) FILTER (WHERE ${c.carried}) AS r${i}`, `bool_or(${c.carried}) AS h${i}`]
      : [`arg_max_null(${c.raw}, rowid) AS r${i}`],
  );
  const values = attributes.flatMap((c, i) => [`${convert(db, c, good.allValid, `r${i}`)} AS v${i}`, ...(c.carried ? [`h${i}`] : [])]);
  return `SELECT ${['id', ...values].join(', ')} FROM (
    SELECT ${[`${id.raw} AS id`, ...picks].join(', ')} FROM ${stage} WHERE ${good.where} GROUP BY ${id.raw})`;
}

/**
 * Upsert the good rows into an entity table by id: existing records get the columns the file
 * carried (CSV: its header; JSONL: the keys present), new ids are inserted, and each id stays
 * one row. Rows of the same id within the file merge first, in file order. The contacts this
 * touches are enqueued for live segments at `at`: written contacts, and the contacts of written
 * accounts.
 */
export async function mergeEntities(
  tx: SqlRunner,
  kind: Exclude<RecordKind, 'interaction'>,
  staged: StagedFile,
  columns: readonly StagedColumn[],
  good: GoodRows,
  at: Date,
  capture?: RowCapture,
): Promise<WriteCounts> {
  const d = tx.dialect;
  const target = TABLES[kind];
  const id = columns.find((c) => c.target.name === 'id');
  if (!id) throw new SegmataError('invalid_import', 'an entity file needs an id column');
  const attributes = columns.filter((c) => c !== id);

  // Most files name each id once; they skip the per-id merge (a wide aggregate).
  const repeated = await repeatedIds(tx, staged, id.raw, good);
  const names = attributes.map((c) => d.ident(c.target.name));
  const sets = attributes.map((c, i) => `${names[i]} = ${c.carried ? `CASE WHEN s.h${i} THEN s.v${i} ELSE t.${names[i]} END` : `s.v${i}`}`);
  const matched = sets.length ? `WHEN MATCHED THEN UPDATE SET ${sets.join(', ')}` : '';
  const before = await countRows(tx, target);
  const merge = 
    `MERGE INTO ${d.ident(target)} AS t USING (${incomingRecords(tx, staged, id, attributes, good, repeated > 0)}) AS s ON t.id = s.id
     ${matched}
     WHEN NOT MATCHED THEN INSERT (${['id', ...names].join(', ')}) VALUES (${['s.id', ...attributes.map((_, i) => `s.v${i}`)].join(', ')})`;
  // The resident live state takes the records as stored: merged with what was there, typed.
  if (capture) capture.take(await tx.all(`${merge} RETURNING ${returning(tx, capture)}`, good.params));
  else await tx.run(merge, good.params);
  const inserted = (await countRows(tx, target)) - before;
  const written = { sql: `SELECT ${id.raw} AS id FROM ${d.ident(staged.table)} WHERE ${good.where}`, params: good.params };
  if (kind === 'contact') await enqueueContacts(tx, written, 'contact', at);
  if (kind === 'account') await enqueueAccountContacts(tx, written, at);
  const ids = good.count - repeated;
  return { inserted, updated: ids - inserted, skipped: repeated };
}

/**
 * Append the good rows to the interactions table. A row whose id is already stored, or came
 * earlier in the file, is a re-send and is skipped; rows without an id are always new. The
 * contacts of the appended rows are enqueued for live segments at `at`, per interaction type —
 * or, with `handOver` (the live path records this write's changes in its own transaction), a
 * captured append hands those entries over instead: queued, they would only be read back and
 * deleted before the commit.
 */
export async function appendInteractions(
  tx: SqlRunner,
  staged: StagedFile,
  columns: readonly StagedColumn[],
  good: GoodRows,
  at: Date,
  capture?: RowCapture,
  handOver?: (entries: QueueEntry[]) => void,
): Promise<WriteCounts> {
  const d = tx.dialect;
  const target = TABLES.interaction;
  const stage = d.ident(staged.table);
  const id = columns.find((c) => c.target.name === 'id');
  const hasId = id ? presentSql(id.raw) : undefined;
  const names = columns.map((c) => d.ident(c.target.name));
  const values = columns.map((c) => (c === id ? `CASE WHEN ${hasId} THEN ${c.raw} END` : convert(tx, c, good.allValid)));

  let filter = good.where;
  if (id && hasId) {
    // The batch's ids that are already stored: the table is probed with the batch's ids (the
    // small side is the one hashed, so a small batch costs one scan of the id column, not a
    // hash table of every stored id), and the probe stops at the first hit. Most batches have
    // none and need no re-send filter.
    const batchIds = `SELECT ${id.raw} FROM ${stage} WHERE ${hasId} AND ${good.where}`;
    const stored = `SELECT i.id FROM ${d.ident(target)} AS i WHERE i.id IN (${batchIds})`;
    if (await anyRow(tx, stored, good.params)) {
      filter += ` AND (NOT ${hasId} OR s.${id.raw} NOT IN (${stored}))`;
    }
    if ((await repeatedIds(tx, staged, id.raw, good)) > 0) {
      filter += ` AND (NOT ${hasId} OR s.rowid IN (SELECT min(rowid) FROM ${stage} WHERE ${hasId} AND ${good.where} GROUP BY ${id.raw}))`;
    }
  }
  const contact = columns.find((c) => c.target.name === 'contact_id');
  const type = columns.find((c) => c.target.name === 'type');
  if (!contact || !type) throw new SegmataError('invalid_import', 'an interaction file needs contact_id and type columns');
  const handing = capture && handOver;
  // Before the append: afterwards the re-send filter would exclude the appended rows themselves.
  if (!handing) await enqueueInteractions(tx, { sql: `SELECT s.${contact.raw} AS contact_id, s.${type.raw} AS type FROM ${stage} AS s WHERE ${filter}`, params: good.params }, at);
  const insert = `INSERT INTO ${d.ident(target)} (${names.join(', ')}) SELECT ${values.join(', ')} FROM ${stage} AS s WHERE ${filter}`;
  let inserted: number;
  if (capture) {
    const rows = await tx.all(`${insert} RETURNING ${returning(tx, capture, handing ? ['contact_id', 'type'] : [])}`, good.params);
    capture.take(rows);
    handOver?.(interactionEntries(rows));
    inserted = rows.length;
  } else {
    inserted = await tx.write(insert, good.params);
  }
  return { inserted, updated: 0, skipped: good.count - inserted };
}

/** Where a write hands the rows it stored (the resident live state), and which columns it reads of them. */
export interface RowCapture {
  /** Column names, from the schema registry. */
  columns: readonly string[];
  take(rows: readonly Row[]): void;
}

/** The RETURNING list of a captured write: the columns the capture reads and `also` (at least one, for the row count). */
function returning(tx: SqlRunner, capture: RowCapture, also: readonly string[] = []): string {
  return capture.columns.length ? [...new Set([...capture.columns, ...also])].map((c) => tx.dialect.ident(c)).join(', ') : '*';
}
