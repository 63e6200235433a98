import type { Dialect } from '../compiler/dialect.js';

/** A bound parameter value. Values never enter SQL text. */
export type SqlValue = string | number | boolean | null;

export type Row = Record<string, unknown>;

/** What every statement runner offers: a store, or a transaction on it. */
export interface SqlRunner {
  readonly dialect: Dialect;
  all<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<void>;
}

/** Rows of raw text columns read from an import file, staged for validation and merge. */
export interface StagedFile {
  /** Temporary table holding the text columns plus `_rec` (0-based record number in file order). */
  table: string;
  /** Column names as they appear in the file (CSV header, or JSONL keys in first-seen order). */
  columns: string[];
  rows: number;
}

export interface StageOptions {
  format: 'csv' | 'jsonl';
  /** JSONL only: keys whose object values are flattened into columns (interaction `properties`). */
  flatten?: string;
}

/**
 * The storage seam (like Kysely's Dialect/Driver): the engine talks to this, never to a driver.
 * One writer at a time: `transaction` serialises; `all`/`run` outside it are single statements.
 */
export interface Store extends SqlRunner {
  readonly kind: 'duckdb' | 'postgres';
  /** Run `fn` in one transaction: all its statements land, or none do. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Stage a CSV/JSONL file as text columns with the engine's own bulk reader. */
  stageFile(path: string, options: StageOptions): Promise<StagedFile>;
  /** Progress of the running statement, 0..100, if the engine reports one. */
  progress(): number | undefined;
  close(): Promise<void>;
}
