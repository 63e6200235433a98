import { TABLES } from '../../schema/defaults.js';
import type { Row, SqlRunner, SqlValue, Store } from '../../store/store.js';

const PAGE = 10_000;

/**
 * Stream a segment's members page by page (keyset paging on contact id), so exports of any
 * size keep memory flat. `withProfile` joins each member's contact attributes.
 */
export async function* memberPages(
  store: Store,
  source: { sql: string; params: SqlValue[] },
  withProfile: boolean,
): AsyncGenerator<Row[]> {
  const n = source.params.length;
  const contacts = store.dialect.ident(TABLES.contact);
  const select = withProfile
    ? `SELECT c.* FROM (${source.sql}) AS m JOIN ${contacts} AS c ON c.id = m.id WHERE c.id > $${n + 1} ORDER BY c.id LIMIT ${PAGE}`
    : `SELECT m.id FROM (${source.sql}) AS m WHERE m.id > $${n + 1} ORDER BY m.id LIMIT ${PAGE}`;
  let last = '';
  for (;;) {
    const rows = await store.all(select, [...source.params, last]);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < PAGE) return;
    last = String(rows[rows.length - 1]!.id);
  }
}

export interface ChangeRow extends Row {
  seq: number;
  contact_id: string;
  change: 'entered' | 'exited';
  changed_at: Date;
  cause: string;
}

/** The newest changes of a segment first, before change `beforeSeq` (all when undefined), at most `limit`. */
export async function latestChanges(store: SqlRunner, segmentId: string, beforeSeq: number | undefined, limit: number): Promise<ChangeRow[]> {
  return store.all<ChangeRow>(
    `SELECT seq, contact_id, change, changed_at, cause FROM membership_changes
     WHERE segment_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT ${Math.floor(limit)}`,
    [segmentId, beforeSeq ?? Number.MAX_SAFE_INTEGER],
  );
}

export async function changesSince(store: SqlRunner, segmentId: string, since: Date | undefined, afterSeq = 0, limit = 100_000): Promise<ChangeRow[]> {
  return store.all<ChangeRow>(
    `SELECT seq, contact_id, change, changed_at, cause FROM membership_changes
     WHERE segment_id = $1 AND changed_at >= CAST($2 AS TIMESTAMPTZ) AND seq > $3 ORDER BY seq LIMIT ${limit}`,
    [segmentId, (since ?? new Date(0)).toISOString(), afterSeq],
  );
}
