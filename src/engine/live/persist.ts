import type { SqlRunner, SqlValue } from '../../store/store.js';
import { LOOKUP_CHUNK } from '../contact/load.js';
import type { PendingChange } from './contact-step.js';

const CHUNK = 400;

/** Multi-row INSERT in chunks of bound parameters: one statement per chunk, never per row. */
export async function insertRows(db: SqlRunner, head: string, rows: SqlValue[][], casts: string[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const params: SqlValue[] = [];
    const tuples = rows.slice(i, i + CHUNK).map((row) => {
      const cells = row.map((v, k) => {
        params.push(v);
        return casts[k] ? `CAST($${params.length} AS ${casts[k]})` : `$${params.length}`;
      });
      return `(${cells.join(', ')})`;
    });
    await db.run(`${head} VALUES ${tuples.join(', ')}`, params);
  }
}

/** DELETE by ids, 16 at a time so DuckDB uses index lookups (see LOOKUP_CHUNK). */
export async function deleteByIds(db: SqlRunner, sqlHead: string, column: string, ids: string[], extra: SqlValue[] = []): Promise<void> {
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const chunk = ids.slice(i, i + LOOKUP_CHUNK);
    const list = chunk.map((_, k) => `$${extra.length + k + 1}`).join(', ');
    await db.run(`${sqlHead} ${column} IN (${list})`, [...extra, ...chunk]);
  }
}

/** Apply a batch's membership changes and the change log, and keep member counts exact. */
export async function persistChanges(db: SqlRunner, changes: PendingChange[], recordedAt: Date): Promise<void> {
  if (changes.length === 0) return;
  // A contact may enter and leave within one batch (time catch-up): every change stays in the
  // log, and the membership table takes the net effect (initial state vs final state).
  const first = new Map<string, PendingChange>();
  const last = new Map<string, PendingChange>();
  for (const c of changes) {
    const key = `${c.segmentId}\u0000${c.contactId}`;
    if (!first.has(key)) first.set(key, c);
    last.set(key, c);
  }
  const net = [...last.entries()].filter(([key, c]) => {
    const wasMember = first.get(key)!.change === 'exited';
    return wasMember !== (c.change === 'entered');
  }).map(([, c]) => c);
  const exits = net.filter((c) => c.change === 'exited');
  const entries = net.filter((c) => c.change === 'entered');
  if (exits.length > 256) {
    // Many exits (time boundaries shared by many contacts): one join instead of many lookups.
    await db.run('CREATE TEMP TABLE IF NOT EXISTS _exits (segment_id VARCHAR, contact_id VARCHAR)');
    await db.run('DELETE FROM _exits');
    await insertRows(db, 'INSERT INTO _exits', exits.map((c) => [c.segmentId, c.contactId]), ['', '']);
    await db.run('DELETE FROM memberships WHERE (segment_id, contact_id) IN (SELECT segment_id, contact_id FROM _exits)');
  } else {
    const bySegment = new Map<string, string[]>();
    for (const c of exits) bySegment.set(c.segmentId, [...(bySegment.get(c.segmentId) ?? []), c.contactId]);
    for (const [segmentId, ids] of bySegment) {
      await deleteByIds(db, 'DELETE FROM memberships WHERE segment_id = $1 AND', 'contact_id', ids, [segmentId]);
    }
  }
  await insertRows(
    db,
    'INSERT INTO memberships (segment_id, contact_id, since)',
    entries.map((c) => [c.segmentId, c.contactId, c.at.toISOString()]),
    ['', '', 'TIMESTAMPTZ'],
  );
  await insertRows(
    db,
    'INSERT INTO membership_changes (segment_id, contact_id, change, changed_at, cause, recorded_at)',
    changes.map((c) => [c.segmentId, c.contactId, c.change, c.at.toISOString(), c.cause, recordedAt.toISOString()]),
    ['', '', '', 'TIMESTAMPTZ', '', 'TIMESTAMPTZ'],
  );
  const delta = new Map<string, number>();
  for (const c of changes) delta.set(c.segmentId, (delta.get(c.segmentId) ?? 0) + (c.change === 'entered' ? 1 : -1));
  for (const [segmentId, d] of delta) {
    if (d !== 0) await db.run('UPDATE segments SET member_count = member_count + $2 WHERE id = $1', [segmentId, d]);
  }
}
