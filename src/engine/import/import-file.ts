import { basename } from 'node:path';
import type { StageOptions, StagedFile } from '../../store/store.js';
import { describeBadRows } from './bad-rows.js';
import { jsonValueCheck, recordKindOf, targetColumns } from './columns.js';
import { checkCsvHeader, readCsvHeader } from './csv-header.js';
import { checkReadable, formatOf } from './format.js';
import { importStaged, type ImportContext, type RowSource } from './import-staged.js';
import { inPhase, safely } from './progress.js';
import { rejection } from './report.js';
import type { ImportKind, ImportOptions, ImportReport } from './types.js';
import type { RowChecks } from './validate.js';

export type { ImportContext } from './import-staged.js';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Import one CSV or JSONL file (SPEC §1): stage it in bulk, validate every row with set-based
 * SQL, then write the good rows in one transaction — upsert by id for entities, append for
 * interactions. By default any bad row rejects the whole file and nothing is written.
 */
export async function importFile(
  ctx: ImportContext,
  kind: ImportKind,
  path: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const started = performance.now();
  const format = formatOf(path);
  checkReadable(path);
  const file = basename(path);
  const recordKind = recordKindOf(kind);
  const targets = targetColumns(kind, ctx.registry);
  const { store } = ctx;
  const onProgress = options.onProgress;

  let stageOptions: StageOptions;
  if (format === 'csv') {
    const header = await readCsvHeader(path);
    const issues = Array.isArray(header) ? checkCsvHeader(header, targets, recordKind) : [header];
    if (!Array.isArray(header) || issues.length > 0) {
      throw rejection(file, `bad header row for ${kind}`, issues, 1);
    }
    stageOptions = { format, columns: header };
  } else {
    // Interaction properties may come as a `properties` object or as top-level keys.
    const columns = targets.map((t) => t.name);
    stageOptions = {
      format,
      columns,
      checkValue: jsonValueCheck(targets, columns),
      ...(recordKind === 'interaction' ? { flatten: 'properties' } : {}),
      ...(onProgress ? { onRead: readingProgress(onProgress) } : {}),
    };
  }

  const staged = await inPhase(store, 'reading', onProgress, () => store.stageFile(path, stageOptions));
  const source: RowSource = {
    name: path,
    describeBad: (s: StagedFile, checks: RowChecks, badStaged: number) => describeBadRows(store, path, s, checks, badStaged),
    refuse: (bad, badRows, rows) => rejection(file, `${plural(badRows, 'bad row')} of ${rows}`, bad, badRows),
  };
  return importStaged(ctx, kind, targets, staged, source, options, started);
}

/** JSONL is read in JS, so its reading progress is the share of bytes read. */
function readingProgress(onProgress: NonNullable<ImportOptions['onProgress']>): (read: number, total: number) => void {
  const report = safely(onProgress);
  return (read, total) => report({ phase: 'reading', percent: total > 0 ? (100 * read) / total : 100 });
}
