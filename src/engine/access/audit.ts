import type { SqlRunner } from '../../store/store.js';

export type AuditAction = 'create' | 'update' | 'delete' | 'go_live' | 'stop' | 'refresh' | 'add_members' | 'remove_members';

export interface AuditEntry {
  seq: number;
  at: Date;
  /** Who: an API key's id and name, or LOCAL_ACTOR. */
  actor: string;
  action: AuditAction;
  segmentId: string;
  versionBefore: number | null;
  versionAfter: number | null;
}

/** The actor of a change made in the process itself: the CLI on a database file, the library. */
export const LOCAL_ACTOR = 'local';

/** Who made a segment change, for its audit entry. */
export interface ChangeOptions {
  actor?: string;
}

/** Write in the transaction of the change it records: the change and its entry commit together. */
export async function recordAudit(tx: SqlRunner, entry: Omit<AuditEntry, 'seq'>): Promise<void> {
  await tx.run('INSERT INTO audit_log (happened_at, actor, action, segment_id, version_before, version_after) VALUES (CAST($1 AS TIMESTAMPTZ), $2, $3, $4, $5, $6)', [
    entry.at.toISOString(), entry.actor, entry.action, entry.segmentId, entry.versionBefore, entry.versionAfter,
  ]);
}

/** Newest first, `limit` entries older than `beforeSeq`, optionally of one segment. */
export async function listAudit(store: SqlRunner, options: { segmentId?: string; beforeSeq?: number; limit: number }): Promise<AuditEntry[]> {
  const rows = await store.all<{ seq: number; happened_at: Date; actor: string; action: AuditAction; segment_id: string; version_before: number | null; version_after: number | null }>(
    `SELECT seq, happened_at, actor, action, segment_id, version_before, version_after FROM audit_log
     WHERE (CAST($1 AS VARCHAR) IS NULL OR segment_id = CAST($1 AS VARCHAR)) AND seq < $2 ORDER BY seq DESC LIMIT ${Math.floor(options.limit)}`,
    [options.segmentId ?? null, options.beforeSeq ?? Number.MAX_SAFE_INTEGER],
  );
  return rows.map((r) => ({ seq: r.seq, at: r.happened_at, actor: r.actor, action: r.action, segmentId: r.segment_id, versionBefore: r.version_before, versionAfter: r.version_after }));
}
