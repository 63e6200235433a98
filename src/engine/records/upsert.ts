import { SegmataError, type Issue } from '../../errors.js';
import { describeBadRows } from '../import/bad-rows.js';
import { jsonValueCheck, recordKindOf, targetColumns } from '../import/columns.js';
import { noUnknownReferences } from '../import/references.js';
import { importStaged, type ImportContext, type RowSource } from '../import/import-staged.js';
import type { BadRow, ImportKind, ImportOptions, ImportReport } from '../import/types.js';
import { surveyRecords } from './survey.js';

/** Entity kinds written by id. */
export type EntityKind = 'contacts' | 'accounts' | 'leads';
export const ENTITY_KINDS: readonly EntityKind[] = ['contacts', 'accounts', 'leads'];

export type RecordsOptions = Pick<ImportOptions, 'skipBadRows'>;

/** What `ImportReport.file` says for records given as objects. */
export const RECORDS = 'records';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `records[3].score`: the record's 0-based index in the array (a bad row's `line` is 1-based), then the field. */
export function recordPath(row: BadRow): string {
  return `${RECORDS}[${row.line - 1}]${row.column === undefined ? '' : `.${row.column}`}`;
}

const SHOWN_IN_MESSAGE = 5;

function refusal(kind: ImportKind, bad: readonly BadRow[], badRows: number, rows: number): SegmataError {
  const issues: Issue[] = bad.map((r) => ({ path: recordPath(r), message: r.reason }));
  const first = issues.slice(0, SHOWN_IN_MESSAGE).map((i) => `${i.path}: ${i.message}`);
  const rest = badRows - new Set(bad.slice(0, SHOWN_IN_MESSAGE).map((r) => r.line)).size;
  const more = rest > 0 ? ` (and ${plural(rest, 'more bad record')})` : '';
  return new SegmataError(
    'invalid_import',
    `${kind}: ${plural(badRows, 'bad record')} of ${rows}, nothing was written: ${first.join('; ')}${more}`,
    issues,
  );
}

function checkRows(rows: unknown): asserts rows is readonly unknown[] {
  if (!Array.isArray(rows)) throw new SegmataError('invalid_argument', `${RECORDS}: expected an array of objects`, [{ path: RECORDS, message: 'expected an array of objects' }]);
}

/**
 * Write records given as plain objects, exactly as an import of a JSONL file holding them would
 * (same validation, merge, all-or-nothing and change capture); bad rows are named by their
 * index in `rows`, e.g. `records[3].score`.
 */
async function writeRecords(ctx: ImportContext, kind: ImportKind, rows: readonly unknown[], options: RecordsOptions): Promise<ImportReport> {
  const started = performance.now();
  checkRows(rows);
  if (rows.length === 0) return { file: RECORDS, kind, rows: 0, inserted: 0, updated: 0, skipped: 0, bad: [], badCount: 0, unknownReferences: noUnknownReferences(recordKindOf(kind)), ms: 0 };
  const targets = targetColumns(kind, ctx.registry);
  const flatten = kind === 'interactions' ? 'properties' : undefined;
  const survey = surveyRecords(rows, targets, flatten);
  const staged = await ctx.store.stageRecords(rows, { columns: survey.columns, checkValue: jsonValueCheck(targets, survey.columns), ...(flatten ? { flatten } : {}) });
  const source: RowSource = {
    name: RECORDS,
    idsDistinct: survey.idsDistinct,
    // A keyed stage knows each record's position, so no source is read again.
    describeBad: (s, checks, badStaged) => describeBadRows(ctx.store, RECORDS, s, checks, badStaged),
    refuse: (bad, badRows, total) => refusal(kind, bad, badRows, total),
  };
  return importStaged(ctx, kind, targets, staged, source, { skipBadRows: options.skipBadRows ?? false }, started);
}

/** Upsert contacts, accounts or leads by id: absent keys keep their stored values, dates are ISO strings. */
export async function upsertRecords(
  ctx: ImportContext,
  kind: EntityKind,
  rows: readonly Record<string, unknown>[],
  options: RecordsOptions = {},
): Promise<ImportReport> {
  if (!ENTITY_KINDS.includes(kind)) {
    throw new SegmataError('invalid_argument', `unknown record kind "${String(kind)}" (expected one of: ${ENTITY_KINDS.join(', ')})`);
  }
  return writeRecords(ctx, kind, rows, options);
}

/**
 * Append interactions `{ id?, contact_id, type, occurred_at, ...properties }` (properties may
 * also come nested as `properties: {...}`); idempotent by `id`.
 */
export async function ingestInteractions(
  ctx: ImportContext,
  rows: readonly Record<string, unknown>[],
  options: RecordsOptions = {},
): Promise<ImportReport> {
  return writeRecords(ctx, 'interactions', rows, options);
}
