import type { StageIssue } from '../../store/store.js';
import type { UnknownReferences } from './references.js';

export type { UnknownReferences };

/** What a file holds; the CLI's `segmata import KIND FILE`. */
export type ImportKind = 'contacts' | 'accounts' | 'leads' | 'interactions';
export const IMPORT_KINDS: readonly ImportKind[] = ['contacts', 'accounts', 'leads', 'interactions'];

export interface ImportProgress {
  phase: 'reading' | 'validating' | 'writing';
  /** 0..100 within the phase, when known. */
  percent?: number;
}

export interface ImportOptions {
  /** Import the good rows and report the bad ones, instead of rejecting the whole file. */
  skipBadRows?: boolean;
  onProgress?: (progress: ImportProgress) => void;
}

/**
 * A bad record: its 1-based physical line (header = 1) — for records given as objects, its
 * 1-based position in the array — the column at fault if any, and why.
 */
export type BadRow = StageIssue;

export interface ImportReport {
  /** The path as given (messages name its base name), or `records` for records given as objects. */
  file: string;
  kind: ImportKind;
  /** Records read (excluding a CSV header and blank lines). */
  rows: number;
  inserted: number;
  /** Entities: existing records that the file changed. */
  updated: number;
  /**
   * Good rows that changed nothing on their own: interactions whose `id` is already stored or
   * repeated earlier in the file, and entity rows merged into another row of the file with the same id.
   */
  skipped: number;
  /** The first bad rows (about 100) with their details, in file order. */
  bad: BadRow[];
  /** How many rows were bad in total. */
  badCount: number;
  /**
   * Per referring column (`contact_id` of interactions and leads, `account_id` of contacts and
   * leads), how many of the good rows name a record that is not stored, e.g. `{ contact_id: 12 }`.
   * They are written all the same (SPEC §1 allows dangling references); every referring column
   * of the kind is listed, 0 when all are known.
   */
  unknownReferences: UnknownReferences;
  ms: number;
}
