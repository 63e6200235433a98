import { TABLES } from '../../schema/defaults.js';
import type { Row, SqlRunner, SqlValue } from '../../store/store.js';

export interface MemberPage {
  /** Members in contact-id order, with their contact attributes. */
  items: Row[];
  /** The last id of this page, to pass back as `after`; absent on the last page. */
  next?: string;
  /** How many members (matching the search) there are in all: counted on the first page only. */
  total?: number;
}

/**
 * One page of members after contact id `after`: keyset paging on the id, so a page is stable
 * while members come and go (none is skipped or repeated that stays a member throughout).
 * The page's ids come first, then their contacts within the page's id range (the range lets
 * DuckDB skip all but a few row groups of contacts): ~10 ms at 1M contacts where one join
 * with the whole contacts table took ~50. A search matches `searchIn`, the contact columns
 * (the id and its text attributes). The first page also counts the members, or those matching
 * the search: a second pass over the source, so later pages (which keep the first's total) skip it.
 */
export async function memberPage(
  db: SqlRunner,
  source: { sql: string; params: SqlValue[] },
  options: { after?: string; limit: number; search?: string; searchIn: readonly string[] },
): Promise<MemberPage> {
  const d = db.dialect;
  const contacts = d.ident(TABLES.contact);
  const n = source.params.length;
  const limit = Math.floor(options.limit) + 1;
  const search = options.search;
  const matches = (param: string): string => options.searchIn.map((c) => d.containsCI(`c.${d.ident(c)}`, param)).join(' OR ');
  let rows: Row[];
  if (search) {
    // A search filters on contact attributes: one join, in id order.
    rows = await db.all(
      `SELECT c.* FROM (${source.sql}) AS m JOIN ${contacts} AS c ON c.id = m.id WHERE c.id > $${n + 1} AND (${matches(`$${n + 2}`)}) ORDER BY c.id LIMIT ${limit}`,
      [...source.params, options.after ?? '', search],
    );
  } else {
    const ids = (await db.all<{ id: string }>(`SELECT m.id FROM (${source.sql}) AS m WHERE m.id > $${n + 1} ORDER BY m.id LIMIT ${limit}`, [...source.params, options.after ?? ''])).map((r) => r.id);
    if (ids.length === 0) rows = [];
    else {
      const list = ids.map((_, i) => `$${i + 3}`).join(', ');
      rows = await db.all(`SELECT * FROM ${contacts} WHERE id BETWEEN $1 AND $2 AND id IN (${list}) ORDER BY id`, [ids[0]!, ids[ids.length - 1]!, ...ids]);
    }
  }
  const items = rows.slice(0, options.limit);
  const page: MemberPage = rows.length > options.limit ? { items, next: String(items[items.length - 1]!.id) } : { items };
  if (options.after === undefined && !page.next) page.total = items.length;
  else if (options.after === undefined) {
    const [count] = search
      ? await db.all<{ n: number | bigint }>(`SELECT count(*) AS n FROM (${source.sql}) AS m JOIN ${contacts} AS c ON c.id = m.id WHERE ${matches(`$${n + 1}`)}`, [...source.params, search])
      : await db.all<{ n: number | bigint }>(`SELECT count(*) AS n FROM (${source.sql}) AS m`, source.params);
    page.total = Number(count?.n ?? 0);
  }
  return page;
}

/**
 * Every member with its contact attributes, in id order, a chunk at a time: one streamed
 * query, and the next chunk is read only when `onRows` has dealt with this one.
 */
export async function eachMember(
  db: SqlRunner,
  source: { sql: string; params: SqlValue[] },
  onRows: (rows: Row[]) => void | Promise<void>,
  /** What to select of each member's contact row `c` (all of it by default). */
  select = 'c.*',
): Promise<void> {
  await db.each(`SELECT ${select} FROM (${source.sql}) AS m JOIN ${db.dialect.ident(TABLES.contact)} AS c ON c.id = m.id ORDER BY c.id`, source.params, onRows);
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
export async function memberHistory(store: SqlRunner, segmentId: string, bucket: HistoryBucket): Promise<HistoryPoint[]> {
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
export async function overlaps(store: SqlRunner, ids: readonly string[]): Promise<Overlap[]> {
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
