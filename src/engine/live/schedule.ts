import type { CompiledQuery } from '../../compiler/compile.js';
import type { SqlRunner } from '../../store/store.js';
import { rowsForIds } from '../contact/load.js';
import { takeSequence } from '../../store/sequences.js';

/**
 * The time schedule: for each (contact, time-dependent live segment) the next instant its
 * membership can change with no data change. Append-only (see migration 3): the row with the
 * highest seq of a pair is current, a NULL due_at clears it. `ALL_SEGMENTS` ('*') rows come
 * from older databases and stand for every time-dependent segment.
 */
export const ALL_SEGMENTS = '*';

/** Current instants of a few contacts: contact → segment → epoch ms. */
export type Dues = Map<string, Map<string, number>>;

export interface DueRow {
  contactId: string;
  segmentId: string;
  /** Epoch ms, or null: nothing pending. */
  due: number | null;
  /** The source's handle on the contact (ContactState.slot), when it has one. */
  slot?: number;
}

/** A pair's current instant, in a query grouped by (contact_id, segment_id). */
export const LATEST_DUE = 'arg_max_null(due_at, seq)';
/** Append new current instants (the bulk appender: no staging table, no INSERT … SELECT). */
export async function appendDues(tx: SqlRunner, rows: readonly DueRow[]): Promise<void> {
  if (rows.length === 0) return;
  const first = await takeSequence(tx, 'live_schedule_block_seq', rows.length);
  await tx.append('live_schedule', ['bigint', 'text', 'text', 'instant'], rows.map((r, i) => [first + i, r.contactId, r.segmentId, r.due]));
}

/** The current instants of `ids`. */
export async function readDues(db: SqlRunner, ids: readonly string[]): Promise<Dues> {
  const out: Dues = new Map();
  if (ids.length === 0) return out;
  // Index lookups take no other predicate, so the latest row per pair is picked here.
  const rows = await rowsForIds<{ contact_id: string; segment_id: string; due_at: Date | null; seq: number }>(
    db,
    'SELECT contact_id, segment_id, due_at, seq FROM live_schedule WHERE',
    'contact_id',
    ids,
  );
  const latest = new Map<string, { seq: number; due: Date | null; contact: string; segment: string }>();
  for (const r of rows) {
    const key = `${r.contact_id}\u0000${r.segment_id}`;
    const cur = latest.get(key);
    if (!cur || r.seq > cur.seq) latest.set(key, { seq: r.seq, due: r.due_at, contact: r.contact_id, segment: r.segment_id });
  }
  for (const l of latest.values()) {
    if (!l.due) continue;
    let m = out.get(l.contact);
    if (!m) out.set(l.contact, (m = new Map()));
    m.set(l.segment, l.due.getTime());
  }
  return out;
}

/** Contacts with an instant at or before `now`, earliest first. */
export async function dueContacts(db: SqlRunner, now: Date, limit: number): Promise<string[]> {
  const rows = await db.all<{ contact_id: string }>(
    `SELECT contact_id FROM (
       SELECT contact_id, ${LATEST_DUE} AS due_at FROM live_schedule
       WHERE contact_id IN (SELECT contact_id FROM live_schedule WHERE due_at <= CAST($1 AS TIMESTAMPTZ))
       GROUP BY contact_id, segment_id)
     WHERE due_at <= CAST($1 AS TIMESTAMPTZ) GROUP BY contact_id ORDER BY min(due_at), contact_id LIMIT ${limit}`,
    [now.toISOString()],
  );
  return rows.map((r) => r.contact_id);
}

/** The earliest current instant (epoch ms), or Infinity. */
export async function earliestDue(db: SqlRunner): Promise<number> {
  const [row] = await db.all<{ due: Date | null }>(
    `SELECT min(due_at) AS due FROM (SELECT ${LATEST_DUE} AS due_at FROM live_schedule GROUP BY contact_id, segment_id)`,
  );
  return row?.due?.getTime() ?? Infinity;
}

/** Replace a segment's instants with `boundaries` (rows contact_id, due_at), set-based. */
export async function scheduleSegment(tx: SqlRunner, segmentId: string, boundaries: CompiledQuery): Promise<void> {
  await dropSegmentSchedule(tx, segmentId);
  const p = boundaries.params.length;
  await tx.run(
    `INSERT INTO live_schedule (contact_id, segment_id, due_at)
     SELECT contact_id, $${p + 1}, min(due_at) FROM (${boundaries.sql}) AS b GROUP BY contact_id`,
    [...boundaries.params, segmentId],
  );
}

/** Forget a segment's instants (it stopped, was edited or deleted). */
export async function dropSegmentSchedule(tx: SqlRunner, segmentId: string): Promise<void> {
  await tx.run('DELETE FROM live_schedule WHERE segment_id = $1', [segmentId]);
}

/** Drop superseded and cleared rows; the table then holds one row per pending instant. */
export async function compactSchedule(tx: SqlRunner): Promise<void> {
  await tx.run(
    `DELETE FROM live_schedule WHERE due_at IS NULL
       OR seq NOT IN (SELECT max(seq) FROM live_schedule GROUP BY contact_id, segment_id)`,
  );
}
