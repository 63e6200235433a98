import { SegmataError } from '../../errors.js';
import type { SchemaRegistry } from '../../schema/registry.js';
import type { RecordKind } from '../../schema/types.js';
import type { Row, SqlRunner, StagedFile, Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import type { QueueEntry } from '../records/change-capture.js';
import { recordKindOf, type TargetColumn } from './columns.js';
import { appendInteractions, mergeEntities, type GoodRows, type RowCapture } from './merge.js';
import { inPhase } from './progress.js';
import { countUnknownReferences, noUnknownReferences } from './references.js';
import type { BadRow, ImportKind, ImportOptions, ImportReport } from './types.js';
import { buildRowChecks, countBadRows, type RowChecks, type StagedColumn } from './validate.js';

export interface ImportContext {
  store: Store;
  registry: SchemaRegistry;
  /** The instant a write's changes are enqueued for live segments. */
  clock: Clock;
  /** Told the rows each write stores, inside its transaction (the live path's resident state). */
  capture?: WriteCapture;
  /** The live path's part in each write's transaction (a long-running process records the changes a write causes in it). */
  live?: InlineRecording;
}

/**
 * How the live path records a write's changes in the write's own transaction: a long-running
 * process's ingest then costs one transaction, and its changes are recorded when it is acknowledged.
 */
export interface InlineRecording {
  /**
   * Asked in the transaction before `rows` rows are written: will this write's changes be
   * recorded in it? Then a captured interaction append hands its change-queue entries to
   * `beforeCommit` instead of queueing them.
   */
  takes(tx: SqlRunner, rows: number): Promise<boolean>;
  /** Just before the commit: record the changes of the handed-over `entries`, or else of the change queue. */
  beforeCommit(tx: SqlRunner, entries?: readonly QueueEntry[]): Promise<void>;
}

/**
 * Receives what a write stores, exactly as stored (typed, merged with what was there), before
 * the write commits; `invalidate` when the write is too large to hand over or fails.
 */
export interface WriteCapture {
  /** Writes of more rows than this are not handed over: `invalidate` is called instead. */
  readonly maxRows: number;
  /** The stored columns `rows` reads of a kind: the write returns only those (converting ten columns per row where three are read cost ~8 µs an interaction). */
  columns(kind: RecordKind): readonly string[];
  rows(kind: RecordKind, rows: readonly Row[]): void;
  deleted(kind: RecordKind, ids: readonly string[]): void;
  invalidate(): void;
}

/** Where staged rows came from: a file or records given as objects. It names and words bad rows. */
export interface RowSource {
  /** `ImportReport.file`. */
  name: string;
  /** The first bad rows with their details, in source order. */
  describeBad(staged: StagedFile, checks: RowChecks, badStaged: number): Promise<BadRow[]>;
  /** The all-or-nothing refusal of `rows` records, `badRows` of them bad. */
  refuse(bad: readonly BadRow[], badRows: number, rows: number): SegmataError;
  /** Known before staging: no two records carry the same id (saves the repeated-id query). */
  idsDistinct?: boolean;
}

/**
 * Validate staged rows with set-based SQL, then write the good ones in one transaction —
 * upsert by id for entities, append for interactions — together with the change-queue entries
 * of the contacts they touch. Any bad row refuses the whole stage unless `skipBadRows`.
 * The stage is dropped either way.
 */
export async function importStaged(
  ctx: ImportContext,
  kind: ImportKind,
  targets: readonly TargetColumn[],
  staged: StagedFile,
  source: RowSource,
  options: ImportOptions,
  started: number,
): Promise<ImportReport> {
  const { store } = ctx;
  const recordKind = recordKindOf(kind);
  const onProgress = options.onProgress;
  try {
    const columns = stagedColumns(store, staged, targets);
    const checks = buildRowChecks(columns, ctx.registry, store);
    const badStaged = await inPhase(store, 'validating', onProgress, () => countBadRows(store, staged, checks));
    const rows = staged.rows + staged.rejected;
    const badRows = badStaged + staged.rejected;
    const bad = badRows > 0 ? await source.describeBad(staged, checks, badStaged) : [];
    if (badRows > 0 && !options.skipBadRows) throw source.refuse(bad, badRows, rows);
    const idsDistinct = source.idsDistinct ?? false;
    const good: GoodRows =
      badStaged === 0
        ? { where: 'true', params: [], count: staged.rows, allValid: true, idsDistinct }
        : { where: `NOT ${checks.bad}`, params: checks.params, count: staged.rows - badStaged, allValid: false, idsDistinct };
    const written =
      good.count === 0
        ? { inserted: 0, updated: 0, skipped: 0, unknownReferences: noUnknownReferences(recordKind) }
        : await inPhase(store, 'writing', onProgress, () =>
            store
              .transaction(async (tx) => {
                const at = ctx.clock();
                const capture = captureFor(ctx.capture, recordKind, good.count);
                let handed: QueueEntry[] | undefined;
                const handOver = recordKind === 'interaction' && capture && (await ctx.live?.takes(tx, good.count)) ? (e: QueueEntry[]) => (handed = e) : undefined;
                const written =
                  recordKind === 'interaction'
                    ? await appendInteractions(tx, staged, columns, good, at, capture, handOver)
                    : await mergeEntities(tx, recordKind, staged, columns, good, at, capture);
                // Counted in the write's snapshot: after the write, before anything else changes.
                const unknownReferences = await countUnknownReferences(tx, recordKind, staged, columns, good);
                await ctx.live?.beforeCommit(tx, handed);
                return { ...written, unknownReferences };
              })
              .catch((e: unknown) => {
                ctx.capture?.invalidate();
                throw e;
              }),
          );
    return { file: source.name, kind, rows, ...written, bad, badCount: badRows, ms: Math.round(performance.now() - started) };
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${store.dialect.ident(staged.table)}`);
  }
}

/** The rows of a write go to `capture` when it takes that many; otherwise it starts over. */
function captureFor(capture: WriteCapture | undefined, kind: RecordKind, rows: number): RowCapture | undefined {
  if (!capture) return undefined;
  if (rows > capture.maxRows) {
    capture.invalidate();
    return undefined;
  }
  return { columns: capture.columns(kind), take: (stored) => capture.rows(kind, stored) };
}

function stagedColumns(store: Store, staged: StagedFile, targets: readonly TargetColumn[]): StagedColumn[] {
  const byName = new Map(targets.map((t) => [t.name, t]));
  return staged.columns.map((name, i) => {
    const target = byName.get(name);
    // A CSV header is checked against the same targets, and keyed stages hold only those.
    if (!target) throw new SegmataError('invalid_import', `staged column "${name}" is not a column of ${staged.table}'s kind`);
    const column: StagedColumn = { target, raw: store.dialect.ident(`c${i}`) };
    if (staged.keyed) column.carried = store.dialect.ident(`k${i}`);
    return column;
  });
}
