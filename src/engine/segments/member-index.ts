import { SegmataError } from '../../errors.js';
import type { SqlRunner } from '../../store/store.js';
import { hasStoredMembers } from './service.js';
import type { SegmentRecord } from './types.js';

/** Segments whose sorted member ids are held (the most recently paged ones). */
const HELD_SEGMENTS = 8;

interface Held {
  /** The segment's creation instant: a segment deleted and made again under the same id is another. */
  born: number;
  /** Member contact ids, sorted by `compareIds`. */
  ids: string[];
  /** The last change-log entry reflected in `ids`. */
  seq: number;
  /** The membership epoch (see `MemberIndex`) when `ids` was last brought up to date. */
  epoch: number;
  /** The refresh under way: concurrent pages share it. */
  refreshing?: Promise<void>;
}

/**
 * Order ids as the database does (by UTF-8 bytes, which is code point order), not as JS's `<`
 * does (by UTF-16 code units): the two disagree where a character beyond U+FFFF (a surrogate
 * pair, D800–DFFF) meets one in U+E000–U+FFFF. Ids come sorted from DuckDB and cursors are
 * compared in SQL, so the held arrays must follow the same order.
 */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates move above U+E000–U+FFFF; those move down into the gap they leave.
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** First index in sorted `ids` whose id is greater than `after`. */
function firstAfter(ids: readonly string[], after: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareIds(ids[mid]!, after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What a segment row says about paging it from here. */
interface SegmentFacts {
  exists: boolean;
  /** Live, stopped or static: its stored membership is what is paged. */
  maintained: boolean;
  born: number;
}

const FACTS = `(SELECT type || ':' || status || ':' || CAST(epoch_ms(created_at) AS VARCHAR) FROM segments WHERE id = $1)`;

function factsOf(text: string | null): SegmentFacts {
  if (!text) return { exists: false, maintained: false, born: 0 };
  const [type, status, born] = text.split(':') as [SegmentRecord['type'], SegmentRecord['status'], string];
  return { exists: true, maintained: hasStoredMembers({ type, status }), born: Number(born) };
}

/**
 * The members of maintained segments as sorted id arrays in memory, so a page of members is a
 * binary search, not a query (~10 ms of DuckDB scans per page at 1M contacts). Loaded from the
 * memberships table with the change-log position it reflects, then kept current from the log:
 * every membership change is in it. `epoch` is the engine's count of committed membership
 * writes: while it stands still nothing is read; when it moved, the log's entries after the
 * held position are applied first (one read of the log's tail, shared by concurrent pages).
 */
export class MemberIndex {
  private readonly held = new Map<string, Held>();
  /** First loads under way: concurrent first pages of a segment share one. */
  private readonly loading = new Map<string, Promise<Held | 'not_maintained'>>();

  constructor(
    private readonly db: SqlRunner,
    private readonly epoch: () => number,
  ) {}

  /**
   * Up to `limit` member ids after `after`, whether more follow, and every member id held (the
   * same array until the membership changes, so a count over it can be kept); `not_maintained`
   * for a draft or a segment in error (its members are an evaluation, not stored).
   */
  async page(segmentId: string, after: string | undefined, limit: number): Promise<{ ids: string[]; more: boolean; all: readonly string[] } | 'not_maintained'> {
    const h = await this.current(segmentId);
    if (h === 'not_maintained') return h;
    const from = after === undefined ? 0 : firstAfter(h.ids, after);
    return { ids: h.ids.slice(from, from + limit), more: from + limit < h.ids.length, all: h.ids };
  }

  private async current(segmentId: string): Promise<Held | 'not_maintained'> {
    let h = this.held.get(segmentId);
    if (h) {
      // Most recently used last, for eviction.
      this.held.delete(segmentId);
      this.held.set(segmentId, h);
    } else {
      const loaded = await this.load(segmentId);
      if (loaded === 'not_maintained') return loaded;
      h = loaded;
    }
    if (h.epoch === this.epoch()) return h;
    const held = h;
    held.refreshing ??= this.refresh(segmentId, held).finally(() => (held.refreshing = undefined));
    await held.refreshing;
    // The segment was deleted, stopped being maintained or made anew meanwhile: start over.
    return this.held.get(segmentId) === held ? held : this.current(segmentId);
  }

  private load(segmentId: string): Promise<Held | 'not_maintained'> {
    let loading = this.loading.get(segmentId);
    if (!loading) {
      // One statement, one snapshot: the members and the log position they reflect agree. The
      // log may hold entries past that position (memberships applied later, in the background):
      // epoch -1 has the first page apply them.
      const epoch = -1;
      loading = this.db
        .all<{ w: number | null; ids: string | null; facts: string | null }>(
          `SELECT (SELECT max(memberships_seq) FROM live_state) AS w, ${FACTS} AS facts,
                  CAST(to_json(list(contact_id ORDER BY contact_id)) AS VARCHAR) AS ids FROM memberships WHERE segment_id = $1`,
          [segmentId],
        )
        .then(([row]) => {
          const facts = factsOf(row?.facts ?? null);
          if (!facts.exists) throw new SegmataError('not_found', `segment "${segmentId}" does not exist`);
          if (!facts.maintained) return 'not_maintained' as const;
          const held: Held = { born: facts.born, ids: row?.ids ? (JSON.parse(row.ids) as string[]) : [], seq: Number(row?.w ?? 0), epoch };
          this.held.set(segmentId, held);
          this.evict();
          return held;
        })
        .finally(() => this.loading.delete(segmentId));
      this.loading.set(segmentId, loading);
    }
    return loading;
  }

  /** Apply the log's entries after `held.seq`; the log's end becomes the new position. */
  private async refresh(segmentId: string, held: Held): Promise<void> {
    const epoch = this.epoch();
    // Ids travel as JSON: any character may be in an id, so no separator is safe.
    const [row] = await this.db.all<{ top: number | null; d: string | null; facts: string | null }>(
      `SELECT max(seq) AS top, ${FACTS} AS facts,
              CAST(to_json(list([contact_id, change] ORDER BY seq) FILTER (WHERE segment_id = $1)) AS VARCHAR) AS d
       FROM membership_changes WHERE seq > $2`,
      [segmentId, held.seq],
    );
    const facts = factsOf(row?.facts ?? null);
    if (!facts.exists || !facts.maintained || facts.born !== held.born) {
      this.held.delete(segmentId);
      return;
    }
    held.epoch = epoch;
    if (row?.top == null) return;
    held.seq = Number(row.top);
    if (!row.d) return;
    // The last change of each contact decides.
    const last = new Map<string, boolean>();
    for (const [id, change] of JSON.parse(row.d) as [string, string][]) last.set(id, change === 'entered');
    const added = [...last].filter(([, on]) => on).map(([id]) => id).sort(compareIds);
    const merged: string[] = [];
    let a = 0;
    for (const id of held.ids) {
      while (a < added.length && compareIds(added[a]!, id) < 0) merged.push(added[a++]!);
      if (a < added.length && added[a] === id) a++;
      if (last.get(id) !== false) merged.push(id);
    }
    while (a < added.length) merged.push(added[a++]!);
    held.ids = merged;
  }

  private evict(): void {
    while (this.held.size > HELD_SEGMENTS) this.held.delete(this.held.keys().next().value!);
  }
}
