import type { SqlRunner } from '../../store/store.js';
import type { PendingChange } from './contact-step.js';
import { takeSequence } from '../../store/sequences.js';
import { deleteByIds } from './persist.js';
import { CHANGE_CAUSES, CHANGE_KINDS } from '../segments/types.js';

/**
 * The change log (membership_changes) is the record of every entry and exit; the memberships
 * table and segments.member_count are its materialisation, brought up to the log's end by
 * `applyMembershipLog`. Writers append to the log; the live path may defer applying (one
 * set-based pass per second instead of deletes per batch), and every reader applies first.
 */

/** The sequence numbering the change log's rows (`numbered`: the first of a range already taken from it). */
export const CHANGE_SEQUENCE = 'membership_change_block_seq';

/**
 * Append changes to the log with the bulk appender, in the order they were made (their seq
 * follows it): no staging table, no INSERT … SELECT.
 */
export async function appendChanges(tx: SqlRunner, changes: readonly PendingChange[], recordedAt: Date, numbered?: number): Promise<void> {
  if (changes.length === 0) return;
  const first = numbered ?? (await takeSequence(tx, CHANGE_SEQUENCE, changes.length));
  const recorded = recordedAt.getTime();
  await tx.append(
    'membership_changes',
    ['bigint', 'text', 'text', { enum: CHANGE_KINDS }, 'instant', { enum: CHANGE_CAUSES }, 'instant'],
    changes.map((c, i) => [first + i, c.segmentId, c.contactId, c.change, c.at.getTime(), c.cause, recorded]),
  );
}

/** Past this many removals, one join over the memberships table beats index lookups. */
const LOOKUP_REMOVALS = 64;

/**
 * Bring memberships and member counts up to the end of the change log. Per (segment,
 * contact) the net effect of its new changes counts: its first change says whether it was a
 * member, its last whether it is; a re-entry renews `since`. Set-based; idempotent. Returns
 * the log entries applied and the membership rows deleted.
 */
export async function applyMembershipLog(tx: SqlRunner): Promise<{ applied: number; removed: number }> {
  const [mark] = await tx.all<{ w: number; m: number | null }>(
    'SELECT (SELECT max(memberships_seq) FROM live_state) AS w, (SELECT max(seq) FROM membership_changes) AS m',
  );
  const from = mark?.w ?? 0;
  const to = mark?.m ?? 0;
  if (to <= from) return { applied: 0, removed: 0 };
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE _net AS
     SELECT segment_id, contact_id, arg_min(change, seq) = 'exited' AS was_in, arg_max(change, seq) = 'entered' AS is_in,
            count(*) AS n, arg_max(changed_at, seq) AS since
     FROM membership_changes WHERE seq > $1 AND seq <= $2 GROUP BY segment_id, contact_id`,
    [from, to],
  );
  const removed = 'was_in AND (NOT is_in OR n > 1)';
  const [count] = await tx.all<{ n: number }>(`SELECT count(*) AS n FROM _net WHERE ${removed}`);
  const removals = count?.n ?? 0;
  if (removals > LOOKUP_REMOVALS) {
    await tx.run(`DELETE FROM memberships AS m USING _net AS x WHERE m.segment_id = x.segment_id AND m.contact_id = x.contact_id AND x.was_in AND (NOT x.is_in OR x.n > 1)`);
  } else if (removals > 0) {
    const rows = await tx.all<{ segment_id: string; contact_id: string }>(`SELECT segment_id, contact_id FROM _net WHERE ${removed}`);
    const bySegment = new Map<string, string[]>();
    for (const r of rows) bySegment.set(r.segment_id, [...(bySegment.get(r.segment_id) ?? []), r.contact_id]);
    for (const [segmentId, ids] of bySegment) await deleteByIds(tx, 'DELETE FROM memberships WHERE segment_id = $1 AND', 'contact_id', ids, [segmentId]);
  }
  // In (segment, contact) order: a segment's rows then lie together sorted by contact, so a
  // page of members (contact_id > cursor) skips the row groups before it by their min/max.
  await tx.run('INSERT INTO memberships (segment_id, contact_id, since) SELECT segment_id, contact_id, since FROM _net WHERE is_in AND (NOT was_in OR n > 1) ORDER BY segment_id, contact_id');
  await tx.run(
    `UPDATE segments SET member_count = member_count + d.delta
     FROM (SELECT segment_id, sum(CAST(is_in AS INTEGER) - CAST(was_in AS INTEGER)) AS delta FROM _net GROUP BY segment_id) AS d
     WHERE segments.id = d.segment_id AND d.delta <> 0`,
  );
  await tx.run('UPDATE live_state SET memberships_seq = $1', [to]);
  await tx.run('DROP TABLE _net');
  return { applied: to - from, removed: removals };
}
