/**
 * When a long-running process checkpoints, and whether that checkpoint also vacuums.
 *
 * A checkpoint stops every writer while it runs (DuckDB 1.5), so a fast stream wants short
 * ones. Most of a checkpoint's time under a stream went to vacuuming: the memberships sync
 * deletes rows all over that table, and every checkpoint then merged its row groups again —
 * rewriting millions of rows to save one group. Measured with bench:live at 15,000
 * interactions/s: checkpoints of 100–780 ms with vacuum, 90–200 ms without, and the staleness
 * p99 went from 1.0–1.9 s to 0.47 s. So the frequent checkpoints leave deleted rows where they
 * are, and a vacuuming one reclaims them when the process is idle, after a schedule
 * compaction, and under a stream that never pauses once the memberships deleted since the last
 * one reach DEAD_SHARE of the table: vacuuming rewrites the whole table however few rows were
 * deleted (~1.9 s at 12M membership rows), so it waits until it pays. DuckDB vacuums only the
 * row groups that changed since the last checkpoint, so a vacuuming checkpoint waits for the
 * next memberships sync (which deletes across that table) or compaction to have run.
 */

/** At idle moments, checkpoint at most this often (ms)… */
export const CHECKPOINT_EVERY_MS = 30_000;
/**
 * … or sooner, once the WAL holds this much: a checkpoint takes as long as it has to write, so
 * a fast stream checkpoints every few seconds in short pauses instead of a long one every 30 s.
 */
export const CHECKPOINT_WAL_BYTES = 8 * 1024 * 1024;
/**
 * Under a stream that never pauses, memberships deleted since the last vacuum, as a share of the
 * table, past which the next checkpoint after a sync vacuums: scans of the table then read at
 * most half as many dead rows as live ones.
 */
export const DEAD_SHARE = 0.5;

export interface CheckpointState {
  /** Since the last checkpoint (ms). */
  sinceCheckpoint: number;
  /** Membership rows deleted since the last vacuuming checkpoint, and the rows the table holds. */
  deadRows: number;
  liveRows: number;
  walBytes: number;
  /** Live batches committed since the last checkpoint, and since the last vacuuming one. */
  batchesSinceCheckpoint: number;
  batchesSinceVacuum: number;
  /** A memberships sync or a schedule compaction deleted rows since the last checkpoint. */
  thinned: boolean;
  /** A schedule compaction ran since the last checkpoint. */
  compacted: boolean;
}

export type CheckpointKind = 'none' | 'light' | 'vacuum';

/** The checkpoint to run at this idle moment, if any. */
export function checkpointToRun(s: CheckpointState): CheckpointKind {
  if (s.batchesSinceVacuum === 0 && !s.compacted) return 'none';
  // No batch since the last checkpoint: the stream paused, and a longer pause costs nobody.
  const vacuumDue = s.compacted || s.batchesSinceCheckpoint === 0 || (s.deadRows > 0 && s.deadRows >= DEAD_SHARE * s.liveRows);
  if (vacuumDue && s.thinned) return 'vacuum';
  return s.walBytes > 0 && (s.sinceCheckpoint >= CHECKPOINT_EVERY_MS || s.walBytes >= CHECKPOINT_WAL_BYTES) ? 'light' : 'none';
}
