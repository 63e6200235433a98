import type { Dialect } from '../compiler/dialect.js';

/** A bound parameter value. Values never enter SQL text. */
export type SqlValue = string | number | boolean | null;

export type Row = Record<string, unknown>;

/**
 * How `append` writes a column: text, a BIGINT, an instant given as epoch milliseconds, or one
 * of the given words into an ENUM column of those words.
 */
export type AppendColumn = 'text' | 'bigint' | 'instant' | { enum: readonly string[] };
export type AppendValue = string | number | null;

/** What every statement runner offers: a store, or a transaction on it. */
export interface SqlRunner {
  readonly dialect: Dialect;
  all<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<void>;
  /** Run an INSERT, UPDATE, DELETE or MERGE; resolves to how many rows it changed. */
  write(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Append rows to a table with the engine's bulk appender, inside the running transaction if
   * any: thousands of rows cost what one statement does, where multi-row INSERTs cost a
   * statement per few hundred. Each row gives every column of the table, in table order.
   */
  append(table: string, columns: readonly AppendColumn[], rows: readonly (readonly AppendValue[])[]): Promise<void>;
  /**
   * Run a query and hand its rows over a chunk at a time: a large read (the live path's
   * resident state) never holds every row as an object at once.
   */
  each(sql: string, params: readonly SqlValue[], onRows: (rows: Row[]) => void | Promise<void>): Promise<void>;
}

/** One record an import could not take: where it is in the file and why. */
export interface StageIssue {
  /** 1-based physical line in the file (the header is line 1). */
  line: number;
  /** The file column at fault, if the problem is in one column. */
  column?: string;
  reason: string;
}

/** Rows of raw text columns read from an import file, staged for validation and merge. */
export interface StagedFile {
  /**
   * Temporary table: column `c{i}` holds the text of `columns[i]` (NULL when empty or absent).
   * Its `rowid` is the record's position among the staged rows, in file order.
   */
  table: string;
  /** Column names: the CSV header, or the JSONL keys that were asked for. */
  columns: string[];
  rows: number;
  /**
   * JSONL: BOOLEAN `k{i}` says whether the record carried `columns[i]` (an absent key is not
   * carried, an explicit null is) and BIGINT `_line` is the record's line. CSV has neither:
   * every header column is carried, and lines are worked out only when an error needs one.
   */
  keyed: boolean;
  /** Records the reader refused: CSV rows with the wrong field count, broken quoting or bad UTF-8; JSONL lines that are not an object of known keys. */
  rejected: number;
  /** The first refused records with their lines (JSONL; a CSV reader does not know physical lines). */
  rejectedSample: StageIssue[];
}

/** Staging records given as objects: like a JSONL file whose lines are already parsed. */
export interface RecordStageOptions {
  /** The keys to stage; a record with any other key is refused. */
  columns: readonly string[];
  /** A key whose object value holds more of `columns` (interaction `properties`). */
  flatten?: string;
  /**
   * Why a record's value (not null) for `columns[column]` cannot be taken as given, or
   * undefined: such a record is refused, naming the key. Values that pass are staged as text.
   */
  checkValue?: (column: number, value: unknown) => string | undefined;
}

export interface StageOptions extends RecordStageOptions {
  format: 'csv' | 'jsonl';
  /**
   * CSV: the header's column names, in file order (read and checked by the caller).
   * JSONL: the keys to stage; a line with any other key is refused.
   */
  columns: readonly string[];
  /** JSONL only: a key whose object value holds more of `columns` (interaction `properties`). */
  flatten?: string;
  /** Reading progress (JSONL is read in JS, so the engine cannot report it). */
  onRead?: (bytesRead: number, totalBytes: number) => void;
}

/** How reads through `Store.reader` may be stopped. */
export interface ReadOptions {
  /**
   * When it aborts, the statement running for this runner is interrupted (a waiting one never
   * starts) and the read fails with the signal's reason if that is a SegmataError (else a
   * `timeout`). Reads run outside transactions, so a stopped one leaves nothing behind.
   */
  signal?: AbortSignal;
}

/**
 * The storage seam (like Kysely's Dialect/Driver): the engine talks to this, never to a driver.
 * One writer at a time: `transaction` serialises; `all`/`run` outside it are single statements.
 */
export interface Store extends SqlRunner {
  readonly kind: 'duckdb' | 'postgres';
  /** Run `fn` in one transaction: all its statements land, or none do. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /**
   * Statements that only read, on connections of their own: an HTTP read or an export neither
   * waits behind the writers' connection nor holds it up (each sees the last committed state).
   * Writing through it is refused.
   */
  reader(options?: ReadOptions): SqlRunner;
  /**
   * Run `fn` in one transaction on a second connection, concurrently with this one's work:
   * maintenance that must not stall it. The caller keeps its writes clear of the tables the
   * other connection writes meanwhile (a conflict fails one of them).
   */
  backgroundTransaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Stage a CSV/JSONL file as text columns with the engine's own bulk reader. */
  stageFile(path: string, options: StageOptions): Promise<StagedFile>;
  /**
   * Stage records given as JS objects, as a JSONL file's lines would be (`keyed`; a record's
   * `_line` is its 1-based position in `rows`).
   */
  stageRecords(rows: readonly unknown[], options: RecordStageOptions): Promise<StagedFile>;
  /** Bytes in the write-ahead log not yet checkpointed into the database (0 for one in memory). */
  walBytes(): number;
  /**
   * Write the WAL into the database. With `vacuum`, also merge row groups thinned by deletes
   * (reclaiming their space); without, deleted rows stay until a vacuuming checkpoint, and the
   * database's own automatic checkpoints skip vacuuming from then on too.
   */
  checkpoint(options: { vacuum: boolean }): Promise<void>;
  /** Progress of the running statement, 0..100, if the engine reports one. */
  progress(): number | undefined;
  close(): Promise<void>;
}
