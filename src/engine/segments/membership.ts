import type { CompiledQuery } from '../../compiler/compile.js';
import type { SqlRunner } from '../../store/store.js';
import { applyMembershipLog } from '../live/log.js';
import type { ChangeCause } from './types.js';

export interface MembershipDiff {
  members: number;
  entered: number;
  exited: number;
}

/**
 * Replace a segment's membership with the result of `query`, recording every entry and
 * exit against the previous membership. Set-based: a handful of statements whatever the size.
 * Must run inside a transaction.
 */
export async function applyMembership(
  tx: SqlRunner,
  segmentId: string,
  query: CompiledQuery,
  now: Date,
  cause: ChangeCause,
): Promise<MembershipDiff> {
  const at = now.toISOString();
  // The memberships table must be current before it is compared with (see live/log.ts).
  await applyMembershipLog(tx);
  await tx.run('DROP TABLE IF EXISTS _eval');
  await tx.run(`CREATE TEMP TABLE _eval AS ${query.sql}`, query.params);
  const base = [segmentId, at, cause];
  await tx.run(
    `INSERT INTO membership_changes (segment_id, contact_id, change, changed_at, cause, recorded_at)
     SELECT $1, e.id, 'entered', CAST($2 AS TIMESTAMPTZ), $3, now() FROM _eval e
     WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.segment_id = $1 AND m.contact_id = e.id)
     ORDER BY e.id`,
    base,
  );
  await tx.run(
    `INSERT INTO membership_changes (segment_id, contact_id, change, changed_at, cause, recorded_at)
     SELECT $1, m.contact_id, 'exited', CAST($2 AS TIMESTAMPTZ), $3, now() FROM memberships m
     WHERE m.segment_id = $1 AND NOT EXISTS (SELECT 1 FROM _eval e WHERE e.id = m.contact_id)
     ORDER BY m.contact_id`,
    base,
  );
  const counts = await tx.all<{ entered: number; exited: number }>(
    `SELECT
       (SELECT count(*) FROM _eval e WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.segment_id = $1 AND m.contact_id = e.id)) AS entered,
       (SELECT count(*) FROM memberships m WHERE m.segment_id = $1 AND NOT EXISTS (SELECT 1 FROM _eval e WHERE e.id = m.contact_id)) AS exited`,
    [segmentId],
  );
  await applyMembershipLog(tx);
  const total = await tx.all<{ n: number }>('SELECT count(*) AS n FROM _eval');
  const members = total[0]?.n ?? 0;
  await tx.run(
    'UPDATE segments SET member_count = $2, evaluated_at = CAST($3 AS TIMESTAMPTZ) WHERE id = $1',
    [segmentId, members, at],
  );
  await tx.run('DROP TABLE _eval');
  return { members, entered: counts[0]?.entered ?? 0, exited: counts[0]?.exited ?? 0 };
}

/** Add or remove hand-picked members of a static segment, recording each change. */
export async function changeStaticMembers(
  tx: SqlRunner,
  segmentId: string,
  ids: string[],
  mode: 'add' | 'remove',
  now: Date,
): Promise<number> {
  const at = now.toISOString();
  await applyMembershipLog(tx);
  let changed = 0;
  // Batches of bound parameters keep statements small; one pass per batch, no per-id query.
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    // DuckDB refuses parameters a statement does not use, so the id list is numbered after
    // the leading parameters of each statement: $2… after the segment id, $3… after the time.
    const idsFrom = (first: number): string =>
      `(SELECT DISTINCT v.id FROM (VALUES ${batch.map((_, k) => `($${k + first})`).join(', ')}) AS v(id))`;
    const withTime = [segmentId, at, ...batch];
    const withoutTime = [segmentId, ...batch];
    const cond =
      mode === 'add'
        ? 'NOT EXISTS (SELECT 1 FROM memberships m WHERE m.segment_id = $1 AND m.contact_id = s.id)'
        : 'EXISTS (SELECT 1 FROM memberships m WHERE m.segment_id = $1 AND m.contact_id = s.id)';
    const rows = await tx.all<{ n: number }>(`SELECT count(*) AS n FROM ${idsFrom(2)} AS s WHERE ${cond}`, withoutTime);
    changed += rows[0]?.n ?? 0;
    await tx.run(
      `INSERT INTO membership_changes (segment_id, contact_id, change, changed_at, cause, recorded_at)
       SELECT $1, s.id, '${mode === 'add' ? 'entered' : 'exited'}', CAST($2 AS TIMESTAMPTZ), 'manual', now()
       FROM ${idsFrom(3)} AS s WHERE ${cond} ORDER BY s.id`,
      withTime,
    );
    // Applied per batch: a later batch may name the same ids again.
    await applyMembershipLog(tx);
  }
  await tx.run(
    'UPDATE segments SET member_count = (SELECT count(*) FROM memberships WHERE segment_id = $1), updated_at = CAST($2 AS TIMESTAMPTZ) WHERE id = $1',
    [segmentId, at],
  );
  return changed;
}
