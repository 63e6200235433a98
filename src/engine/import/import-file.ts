import { basename } from 'node:path';
import { SegmataError } from '../../errors.js';
import { TABLES } from '../../schema/defaults.js';
import type { SchemaRegistry } from '../../schema/registry.js';
import type { StageOptions, StagedFile, Store } from '../../store/store.js';
import { describeBadRows } from './bad-rows.js';
import { recordKindOf, targetColumns, type TargetColumn } from './columns.js';
import { checkCsvHeader, readCsvHeader } from './csv-header.js';
import { checkReadable, formatOf } from './format.js';
import { appendInteractions, mergeEntities, type GoodRows } from './merge.js';
import { inPhase, safely } from './progress.js';
import { rejection } from './report.js';
import type { ImportKind, ImportOptions, ImportReport } from './types.js';
import { buildRowChecks, countBadRows, type StagedColumn } from './validate.js';

export interface ImportContext {
  store: Store;
  registry: SchemaRegistry;
}

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
    stageOptions = {
      format,
      columns: targets.map((t) => t.name),
      ...(recordKind === 'interaction' ? { flatten: 'properties' } : {}),
      ...(onProgress ? { onRead: readingProgress(onProgress) } : {}),
    };
  }

  const staged = await inPhase(store, 'reading', onProgress, () => store.stageFile(path, stageOptions));
  try {
    const columns = stagedColumns(store, staged, targets);
    const checks = buildRowChecks(columns, ctx.registry, store);
    const badStaged = await inPhase(store, 'validating', onProgress, () => countBadRows(store, staged, checks));
    const rows = staged.rows + staged.rejected;
    const badRows = badStaged + staged.rejected;
    const bad = badRows > 0 ? await describeBadRows(store, path, staged, checks, badStaged) : [];
    if (badRows > 0 && !options.skipBadRows) {
      throw rejection(file, `${plural(badRows, 'bad row')} of ${rows}`, bad, badRows);
    }
    const good: GoodRows =
      badStaged === 0
        ? { where: 'true', params: [], count: staged.rows, allValid: true }
        : { where: `NOT ${checks.bad}`, params: checks.params, count: staged.rows - badStaged, allValid: false };
    const write = recordKind === 'interaction' ? appendInteractions : mergeEntities;
    const counts = await inPhase(store, 'writing', onProgress, () =>
      store.transaction((tx) => write(tx, TABLES[recordKind], staged, columns, good)),
    );
    return { file: path, kind, rows, ...counts, bad, badCount: badRows, ms: Math.round(performance.now() - started) };
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${store.dialect.ident(staged.table)}`);
  }
}

/** JSONL is read in JS, so its reading progress is the share of bytes read. */
function readingProgress(onProgress: NonNullable<ImportOptions['onProgress']>): (read: number, total: number) => void {
  const report = safely(onProgress);
  return (read, total) => report({ phase: 'reading', percent: total > 0 ? (100 * read) / total : 100 });
}

function stagedColumns(store: Store, staged: StagedFile, targets: readonly TargetColumn[]): StagedColumn[] {
  const byName = new Map(targets.map((t) => [t.name, t]));
  return staged.columns.map((name, i) => {
    const target = byName.get(name);
    // The header was checked against the same targets, and JSONL stages only those.
    if (!target) throw new SegmataError('invalid_import', `staged column "${name}" is not a column of ${staged.table}'s kind`);
    const column: StagedColumn = { target, raw: store.dialect.ident(`c${i}`) };
    if (staged.keyed) column.carried = store.dialect.ident(`k${i}`);
    return column;
  });
}
