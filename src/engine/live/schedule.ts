import type { CompiledQuery } from '../../compiler/compile.js';
import type { SqlRunner } from '../../store/store.js';
import { rowsForIds } from '../contact/load.js';
import { takeSequence } from '../../store/sequences.js';

/**
 * The time schedule: when each contact must next be re-evaluated with no data change.
 * Append-only (see migration 3): the row with the highest seq of a (contact, segment) pair is
 * current, a NULL due_at clears it. Taking a segment live seeds one row per contact and
 * segment, set-based. The live path then leaves each contact it processes with one
 * `ALL_SEGMENTS` ('*') row, the earliest of its instants (written unless the database already
 * holds just that): it supersedes every earlier row of the contact, and when it passes every
 * time-dependent segment of the contact is re-evaluated.
 * (Writing each segment's instant cost ~7 rows per interaction, the largest part of a batch's
 * writes; the long-running process keeps each segment's instant in memory.) Databases from
 * before segment rows held only '*' rows, which read the same.
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

/**
 * The schedule's effective rows (contact_id, segment_id, due_at, seq): each pair's latest row
 * unless a later '*' row of its contact supersedes it, set instants only. `where` narrows the
 * rows read (it must keep each contact's '*' rows alongside the others it keeps).
 */
export function effectiveSchedule(where = ''): string {
  return `SELECT contact_id, segment_id, due_at, seq FROM (
      SELECT *, max(CASE WHEN segment_id = '${ALL_SEGMENTS}' THEN seq END) OVER (PARTITION BY contact_id) AS superseded_before
      FROM (SELECT contact_id, segment_id, ${LATEST_DUE} AS due_at, max(seq) AS seq FROM live_schedule ${where} GROUP BY contact_id, segment_id))
    WHERE due_at IS NOT NULL AND seq >= coalesce(superseded_before, 0)`;
}
/** The sequence numbering the schedule's rows. */
export const DUE_SEQUENCE = 'live_schedule_block_seq';

/**
 * Append new current instants (the bulk appender: no staging table, no INSERT … SELECT);
 * `numbered`: the first of a range already taken from DUE_SEQUENCE.
 */
export async function appendDues(tx: SqlRunner, rows: readonly DueRow[], numbered?: number): Promise<void> {
  if (rows.length === 0) return;
  const first = numbered ?? (await takeSequence(tx, DUE_SEQUENCE, rows.length));
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
  const supersededBefore = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.contact_id}\u0000${r.segment_id}`;
    const cur = latest.get(key);
    if (!cur || r.seq > cur.seq) latest.set(key, { seq: r.seq, due: r.due_at, contact: r.contact_id, segment: r.segment_id });
    if (r.segment_id === ALL_SEGMENTS) supersededBefore.set(r.contact_id, Math.max(supersededBefore.get(r.contact_id) ?? 0, r.seq));
  }
  for (const l of latest.values()) {
    if (!l.due || l.seq < (supersededBefore.get(l.contact) ?? 0)) continue;
    let m = out.get(l.contact);
    if (!m) out.set(l.contact, (m = new Map()));
    m.set(l.segment, l.due.getTime());
  }
  return out;
}

/**
 * The effective rows of the contacts with some row at or before `$1` (an instant): reading
 * only those, not the whole schedule, is what keeps the overdue queries cheap.
 */
const OVERDUE_CONTACTS_SCHEDULE = effectiveSchedule('WHERE contact_id IN (SELECT contact_id FROM live_schedule WHERE due_at <= CAST($1 AS TIMESTAMPTZ))');

/** Contacts with an instant at or before `now`, earliest first. */
export async function dueContacts(db: SqlRunner, now: Date, limit: number): Promise<string[]> {
  const rows = await db.all<{ contact_id: string }>(
    `SELECT contact_id FROM (${OVERDUE_CONTACTS_SCHEDULE})
     WHERE due_at <= CAST($1 AS TIMESTAMPTZ) GROUP BY contact_id ORDER BY min(due_at), contact_id LIMIT ${limit}`,
    [now.toISOString()],
  );
  return rows.map((r) => r.contact_id);
}

/**
 * The earliest current instant at or before `now` (epoch ms), or Infinity if none has passed:
 * how far back the overdue reach (the whole schedule's effective rows take seconds at 1M contacts).
 */
export async function earliestPassed(db: SqlRunner, now: Date): Promise<number> {
  const [row] = await db.all<{ due: Date | null }>(
    `SELECT min(due_at) AS due FROM (${OVERDUE_CONTACTS_SCHEDULE})
     WHERE due_at <= CAST($1 AS TIMESTAMPTZ)`,
    [now.toISOString()],
  );
  return row?.due?.getTime() ?? Infinity;
}

/** The earliest current instant (epoch ms), or Infinity. */
export async function earliestDue(db: SqlRunner): Promise<number> {
  const [row] = await db.all<{ due: Date | null }>(`SELECT min(due_at) AS due FROM (${effectiveSchedule()})`);
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
  await tx.run(`DELETE FROM live_schedule WHERE seq NOT IN (SELECT seq FROM (${effectiveSchedule()}))`);
}
