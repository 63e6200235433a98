import { TABLES } from '../../schema/defaults.js';
import type { Row, SqlValue, Store } from '../../store/store.js';

/** The contact attributes a member search matches (case-insensitive substring), besides the id. */
const MEMBER_SEARCH = ['first_name', 'last_name', 'email'];

export interface MemberPage {
  /** Members in contact-id order, with their contact attributes. */
  items: Row[];
  /** The last id of this page, to pass back as `after`; absent on the last page. */
  next?: string;
}

/**
 * One page of members after contact id `after`: keyset paging on the id, so a page is stable
 * while members come and go (none is skipped or repeated that stays a member throughout).
 */
export async function memberPage(
  store: Store,
  source: { sql: string; params: SqlValue[] },
  options: { after?: string; limit: number; search?: string },
): Promise<MemberPage> {
  const d = store.dialect;
  const n = source.params.length;
  const params: SqlValue[] = [...source.params, options.after ?? ''];
  let where = `c.id > $${n + 1}`;
  if (options.search) {
    params.push(`%${options.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    const p = `$${n + 2}`;
    where += ` AND (${['id', ...MEMBER_SEARCH].map((c) => `c.${d.ident(c)} ILIKE ${p} ESCAPE '\\'`).join(' OR ')})`;
  }
  const rows = await store.all(
    `SELECT c.* FROM (${source.sql}) AS m JOIN ${d.ident(TABLES.contact)} AS c ON c.id = m.id WHERE ${where} ORDER BY c.id LIMIT ${Math.floor(options.limit) + 1}`,
    params,
  );
  const items = rows.slice(0, options.limit);
  return rows.length > options.limit ? { items, next: String(items[items.length - 1]!.id) } : { items };
}

export type HistoryBucket = 'hour' | 'day' | 'week';

export interface HistoryPoint {
  at: Date;
  members: number;
  entered: number;
  exited: number;
}

/**
 * Member count over time, from the change log: per bucket the entries, exits and the count at
 * its end (the running sum of every entry and exit since the segment's first).
 */
export async function memberHistory(store: Store, segmentId: string, bucket: HistoryBucket): Promise<HistoryPoint[]> {
  const rows = await store.all<{ bucket_start: Date; entered: number; exited: number; members: number }>(
    `SELECT bucket_start, entered, exited, CAST(sum(entered - exited) OVER (ORDER BY bucket_start) AS BIGINT) AS members FROM (
       SELECT date_trunc('${bucket}', changed_at) AS bucket_start,
              CAST(count(*) FILTER (WHERE change = 'entered') AS BIGINT) AS entered,
              CAST(count(*) FILTER (WHERE change = 'exited') AS BIGINT) AS exited
       FROM membership_changes WHERE segment_id = $1 GROUP BY 1) ORDER BY bucket_start`,
    [segmentId],
  );
  return rows.map((r) => ({ at: r.bucket_start, members: Number(r.members), entered: Number(r.entered), exited: Number(r.exited) }));
}

export interface Overlap {
  a: string;
  b: string;
  /** Contacts in both. */
  both: number;
}

/** Pairwise intersections of the stored memberships of `ids` (each pair once, a < b in the given order). */
export async function overlaps(store: Store, ids: readonly string[]): Promise<Overlap[]> {
  if (ids.length < 2) return [];
  const list = ids.map((_, i) => `$${i + 1}`).join(', ');
  const rows = await store.all<{ a: string; b: string; both: number }>(
    `SELECT x.segment_id AS a, y.segment_id AS b, count(*) AS both FROM memberships AS x
     JOIN memberships AS y ON x.contact_id = y.contact_id AND x.segment_id < y.segment_id
     WHERE x.segment_id IN (${list}) AND y.segment_id IN (${list}) GROUP BY 1, 2`,
    [...ids],
  );
  const found = new Map(rows.map((r) => [`${r.a}\u0000${r.b}`, Number(r.both)]));
  const out: Overlap[] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const [a, b] = [ids[i]!, ids[j]!];
      out.push({ a, b, both: found.get(a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`) ?? 0 });
    }
  }
  return out;
}
