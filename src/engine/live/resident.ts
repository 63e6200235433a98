import { RELATIONS, TABLES } from '../../schema/defaults.js';
import type { SchemaRegistry } from '../../schema/registry.js';
import type { RecordKind } from '../../schema/types.js';
import type { Row, SqlValue, Store } from '../../store/store.js';
import type { ContactData, InteractionRow, RecordRow } from '../contact/evaluate.js';
import type { WriteCapture } from '../import/import-staged.js';
import type { SegmentRecord } from '../segments/types.js';
import type { LivePlan } from './dependencies.js';
import { MinHeap } from './heap.js';
import { applyMembershipLog } from './log.js';
import { covers, needsOf, type Needs } from './needs.js';
import { LATEST_DUE, earliestDue } from './schedule.js';
import type { ContactState, LiveSource } from './source.js';

const CONTACT_RELATIONS = RELATIONS.filter((r) => r.from === 'contact');
const NO_INTERACTIONS: InteractionRow[] = [];

/**
 * The resident state of a long-running process (watch, server): exactly what the live
 * segments read — the attributes their conditions name, the interactions of their types within
 * their widest windows, every maintained segment's members as a bitset and the schedule — held
 * in memory, so a batch reads nothing from the database. It is loaded set-based once (again
 * when the live segments come to read more), kept current by the engine's own writes (the
 * rows each write stored, as `RETURNING` gives them, before it commits) and by each committed
 * live batch. The engine is the database's only writer (DuckDB locks the file), so nothing
 * changes behind its back; a write too large to hand over, or a failed batch, rebuilds it.
 */
export class ResidentSource implements LiveSource, WriteCapture {
  readonly defersMemberships = true;
  /** Writes larger than this rebuild the state instead of being handed over row by row. */
  readonly maxRows = 100_000;

  private needs: Needs | undefined;
  private readonly index = new Map<string, number>();
  private readonly ids: string[] = [];
  private contacts: (RecordRow | undefined)[] = [];
  private related = new Map<string, Map<string, RecordRow>>();
  private interactions: (InteractionRow[] | undefined)[] = [];
  /** Maintained segment → bitset over contact indexes. */
  private members = new Map<string, Uint8Array>();
  private segmentKeys = new Map<string, string>();
  private dues: (Map<string, number> | undefined)[] = [];
  /** (earliest due, contact index), stale entries skipped when met. */
  private readonly heap = new MinHeap();

  constructor(
    private readonly store: Store,
    private readonly registry: () => SchemaRegistry,
  ) {}

  async prepare(plan: LivePlan, segments: readonly SegmentRecord[], now: Date): Promise<void> {
    const queries = plan.order.map((s) => s.definition.query!);
    if (!this.needs || !covers(this.needs, needsOf(queries, this.registry(), now.getTime()))) {
      // Windows reach back from the earliest instant still to be evaluated: a boundary that
      // passed while the process was down is evaluated at its own instant.
      const from = Math.min(now.getTime(), await earliestDue(this.store));
      await this.build(needsOf(queries, this.registry(), from));
    }
    await this.refreshSegments(plan, segments);
  }

  async load(ids: readonly string[]): Promise<Map<string, ContactState>> {
    const out = new Map<string, ContactState>();
    for (const id of ids) {
      const i = this.indexOf(id);
      const contact = this.contacts[i];
      const related: Record<string, RecordRow | undefined> = {};
      for (const rel of CONTACT_RELATIONS) {
        const ref = contact?.[rel.via];
        related[rel.name] = typeof ref === 'string' ? this.related.get(rel.name)?.get(ref) : undefined;
      }
      const data: ContactData = { contact, related, interactions: this.interactions[i] ?? NO_INTERACTIONS };
      const members = new Set<string>();
      for (const [segmentId, bits] of this.members) if (has(bits, i)) members.add(segmentId);
      out.set(id, { data, members, dues: new Map(this.dues[i]) });
    }
    return out;
  }

  async earliestDue(): Promise<number> {
    while (this.heap.size > 0) {
      const key = this.heap.peekKey()!;
      if (key === this.earliestOf(this.heap.peekValue()!)) return key;
      this.heap.pop(); // superseded: the contact's current earliest has its own entry
    }
    return Infinity;
  }

  async dueContacts(now: Date, limit: number): Promise<string[]> {
    const out = new Set<number>();
    const ms = now.getTime();
    while (out.size < limit && (await this.earliestDue()) <= ms) {
      out.add(this.heap.peekValue()!);
      this.heap.pop();
    }
    // Taken off the heap: each is processed now and pushed back with its next instant.
    return [...out].map((i) => this.ids[i]!);
  }

  committed(states: ReadonlyMap<string, ContactState>): void {
    for (const [id, st] of states) {
      const i = this.indexOf(id);
      for (const [segmentId, bits] of this.members) {
        const bit = st.members.has(segmentId);
        if (bit !== has(bits, i)) this.members.set(segmentId, set(bits, i, bit));
      }
      this.dues[i] = st.dues.size > 0 ? st.dues : undefined;
      const next = this.earliestOf(i);
      if (Number.isFinite(next)) this.heap.push(next, i);
    }
  }

  reset(): void {
    this.needs = undefined;
    this.segmentKeys.clear();
  }

  // WriteCapture: the engine's writes, as stored, before they commit.

  rows(kind: RecordKind, rows: readonly Row[]): void {
    if (!this.needs) return;
    const needs = this.needs;
    if (kind === 'contact') {
      for (const r of rows) this.contacts[this.indexOf(String(r.id))] = pick(r, ['id', ...needs.contact]);
    } else if (kind === 'interaction') {
      for (const r of rows) {
        const wanted = needs.interactions.get(String(r.type));
        const at = r.occurred_at;
        if (!wanted || !(at instanceof Date) || at.getTime() < wanted.horizon) continue;
        const i = this.indexOf(String(r.contact_id));
        const row = pick(r, ['id', 'type', 'occurred_at', ...wanted.properties]) as InteractionRow;
        const list = this.interactions[i];
        if (list) list.push(row);
        else this.interactions[i] = [row];
      }
    } else {
      for (const rel of CONTACT_RELATIONS) {
        if (rel.to !== kind) continue;
        const attrs = needs.related.get(rel.name);
        if (!attrs) continue;
        let byId = this.related.get(rel.name);
        if (!byId) this.related.set(rel.name, (byId = new Map()));
        for (const r of rows) byId.set(String(r.id), pick(r, ['id', ...attrs]));
      }
    }
  }

  deleted(kind: RecordKind, ids: readonly string[]): void {
    if (!this.needs) return;
    // A deleted contact's interactions stay stored, and so stay here.
    if (kind === 'contact') for (const id of ids) this.contacts[this.indexOf(id)] = undefined;
    for (const rel of CONTACT_RELATIONS) if (rel.to === kind) for (const id of ids) this.related.get(rel.name)?.delete(id);
  }

  invalidate(): void {
    this.reset();
  }

  private indexOf(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.index.set(id, i);
      this.ids.push(id);
    }
    return i;
  }

  private earliestOf(i: number): number {
    let min = Infinity;
    const dues = this.dues[i];
    if (dues) for (const ms of dues.values()) if (ms < min) min = ms;
    return min;
  }

  /** Load everything `needs` names, set-based: one query per table. */
  private async build(needs: Needs): Promise<void> {
    const q = this.store.dialect.ident;
    this.needs = undefined;
    this.contacts = [];
    this.interactions = [];
    this.related = new Map();
    this.members = new Map();
    this.segmentKeys.clear();
    this.dues = [];
    this.heap.clear();
    const contactCols = ['id', ...needs.contact];
    for (const r of await this.store.all(`SELECT ${contactCols.map(q).join(', ')} FROM ${q(TABLES.contact)}`)) {
      this.contacts[this.indexOf(String(r.id))] = r as RecordRow;
    }
    for (const rel of CONTACT_RELATIONS) {
      const attrs = needs.related.get(rel.name);
      if (!attrs) continue;
      const rows = await this.store.all(`SELECT ${['id', ...attrs].map(q).join(', ')} FROM ${q(TABLES[rel.to])}`);
      this.related.set(rel.name, new Map(rows.map((r) => [String(r.id), r as RecordRow])));
    }
    for (const [type, t] of needs.interactions) {
      const cols = ['id', 'contact_id', 'type', 'occurred_at', ...t.properties];
      const params: SqlValue[] = [type];
      let sql = `SELECT ${cols.map(q).join(', ')} FROM ${q(TABLES.interaction)} WHERE type = $1`;
      if (Number.isFinite(t.horizon)) {
        sql += ' AND occurred_at >= CAST($2 AS TIMESTAMPTZ)';
        params.push(new Date(t.horizon).toISOString());
      }
      for (const r of await this.store.all(sql, params)) {
        const i = this.indexOf(String(r.contact_id));
        delete r.contact_id;
        const list = this.interactions[i];
        if (list) list.push(r as InteractionRow);
        else this.interactions[i] = [r as InteractionRow];
      }
    }
    this.needs = needs;
  }

  /** Members and schedule of segments whose membership changed outside the live path (go-live, edits, refreshes, hand-picked members). */
  private async refreshSegments(plan: LivePlan, segments: readonly SegmentRecord[]): Promise<void> {
    const maintained = segments.filter((s) => s.type === 'static' || plan.deps.has(s.id));
    const keys = new Map(maintained.map((s) => [s.id, `${s.status}:${s.version}:${s.updatedAt?.getTime()}:${s.evaluatedAt?.getTime()}`]));
    for (const id of [...this.members.keys()]) if (!keys.has(id)) this.members.delete(id);
    for (const id of [...this.segmentKeys.keys()]) if (!keys.has(id)) this.segmentKeys.delete(id);
    const changed = [...keys].filter(([id, key]) => this.segmentKeys.get(id) !== key).map(([id]) => id);
    if (changed.length === 0) return;
    await this.store.transaction((tx) => applyMembershipLog(tx));
    const everything = this.segmentKeys.size === 0;
    for (const id of changed) {
      let bits: Uint8Array = new Uint8Array((this.ids.length >> 3) + 1);
      for (const r of await this.store.all<{ contact_id: string }>('SELECT contact_id FROM memberships WHERE segment_id = $1', [id])) {
        bits = set(bits, this.indexOf(r.contact_id), true);
      }
      this.members.set(id, bits);
      if (!everything) await this.reloadDues(id);
      this.segmentKeys.set(id, keys.get(id)!);
    }
    // Right after a build the whole schedule is read at once, not segment by segment.
    if (everything) await this.reloadDues();
  }

  /** The schedule of one segment (the set-based path just wrote it), or all of it. */
  private async reloadDues(segmentId?: string): Promise<void> {
    if (segmentId === undefined) {
      this.dues = [];
      this.heap.clear();
    } else {
      for (const d of this.dues) d?.delete(segmentId);
    }
    const rows = await this.store.all<{ contact_id: string; segment_id: string; due: number }>(
      `SELECT contact_id, segment_id, epoch_ms(due_at) AS due FROM (
         SELECT contact_id, segment_id, ${LATEST_DUE} AS due_at FROM live_schedule
         ${segmentId === undefined ? '' : 'WHERE segment_id = $1'} GROUP BY contact_id, segment_id)
       WHERE due_at IS NOT NULL`,
      segmentId === undefined ? [] : [segmentId],
    );
    const touched = new Set<number>();
    for (const r of rows) {
      const i = this.indexOf(r.contact_id);
      const d = this.dues[i] ?? (this.dues[i] = new Map());
      d.set(r.segment_id, r.due);
      touched.add(i);
    }
    for (const i of touched) this.heap.push(this.earliestOf(i), i);
  }
}

function pick(row: Row, columns: readonly string[]): RecordRow {
  const out: RecordRow = {};
  for (const c of columns) out[c] = row[c] as RecordRow[string];
  return out;
}

function has(bits: Uint8Array, i: number): boolean {
  return ((bits[i >> 3] ?? 0) & (1 << (i & 7))) !== 0;
}

/** Set or clear bit `i`, growing the array when needed; returns the (possibly new) array. */
function set(bits: Uint8Array, i: number, on: boolean): Uint8Array {
  let b = bits;
  if (i >> 3 >= b.length) {
    if (!on) return b;
    const grown = new Uint8Array(Math.max((i >> 3) + 1, b.length * 2));
    grown.set(b);
    b = grown;
  }
  if (on) b[i >> 3]! |= 1 << (i & 7);
  else b[i >> 3]! &= ~(1 << (i & 7));
  return b;
}
