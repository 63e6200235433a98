import { RELATIONS, TABLES } from '../../schema/defaults.js';
import type { SchemaRegistry } from '../../schema/registry.js';
import type { RecordKind } from '../../schema/types.js';
import type { Row, SqlRunner, SqlValue, Store } from '../../store/store.js';
import type { ContactData, InteractionRow, RecordRow } from '../contact/evaluate.js';
import type { WriteCapture } from '../import/import-staged.js';
import type { SegmentRecord } from '../segments/types.js';
import type { LivePlan } from './dependencies.js';
import { DueColumns, GrowableFloat64, GrowableInt32, InteractionColumns, MemberMatrix, RecordColumns } from './columns.js';
import { MinHeap } from './heap.js';
import { dropWriteHeavyIndexes } from './indexes.js';
import { covers, needsOf, type Needs } from './needs.js';
import { ALL_SEGMENTS, earliestPassed, effectiveSchedule } from './schedule.js';
import type { ContactState, DueMap, LiveSource, MemberSet } from './source.js';

const CONTACT_RELATIONS = RELATIONS.filter((r) => r.from === 'contact');

/**
 * The resident state of a long-running process (watch, server): exactly what the live
 * segments read — the attributes their conditions name, the interactions of their types within
 * their widest windows, every maintained segment's members (a bit matrix) and the schedule — held
 * in memory, so a batch reads nothing from the database. It is loaded set-based once (again
 * when the live segments come to read more), kept current by the engine's own writes (the
 * rows each write stored, as `RETURNING` gives them, before it commits) and by each committed
 * live batch. The engine is the database's only writer (DuckDB locks the file), so nothing
 * changes behind its back; a write too large to hand over, or a failed batch, rebuilds it.
 * Records, interactions and the schedule are held in columns (./columns.ts): a few large
 * arrays instead of an object per row, which the garbage collector would walk again and again.
 */
export class ResidentSource implements LiveSource, WriteCapture {
  readonly defersMemberships = true;
  readonly readsDatabase = false;
  /** Segments' members or the whole state must be read again before the next batch. */
  private stale = true;
  /** Writes larger than this rebuild the state instead of being handed over row by row. */
  readonly maxRows = 100_000;

  private needs: Needs | undefined;
  private readonly index = new Map<string, number>();
  private readonly ids: string[] = [];
  private contacts = new RecordColumns([]);
  /** Per relation: the related records' ids and columns. */
  private related = new Map<string, { index: Map<string, number>; records: RecordColumns }>();
  private interactions = new InteractionColumns([]);
  /** Every maintained segment's members, by contact index. */
  private members = new MemberMatrix();
  private segmentKeys = new Map<string, string>();
  private dues = new DueColumns();
  /** Per contact index: the instant of its '*' row in the database (Infinity: none). */
  private star = new GrowableFloat64(Infinity);
  /** Per contact index: 1 while the database also holds single-segment rows of it (from taking a segment live). */
  private bySegment = new GrowableInt32();
  /** (earliest due, contact index), stale entries skipped when met. */
  private readonly heap = new MinHeap();
  /**
   * Per contact index: its earliest instant, which its live heap entry carries (Infinity: none).
   * Telling a live entry from a superseded one by walking the contact's schedule cost a
   * scattered read per entry — ~0.1 s of a 100,000-contact time step.
   */
  private nextAt = new GrowableFloat64(Infinity);

  constructor(
    private readonly store: Store,
    private readonly registry: () => SchemaRegistry,
    /** Brings the memberships table up to date with the change log (the live processor's `sync`). */
    private readonly syncMemberships: () => Promise<void>,
  ) {}

  private indexesDropped = false;

  async prepare(plan: LivePlan, segments: readonly SegmentRecord[], now: Date): Promise<void> {
    if (!this.indexesDropped) {
      await dropWriteHeavyIndexes(this.store);
      this.indexesDropped = true;
    }
    const queries = plan.order.map((s) => s.definition.query!);
    if (!this.needs || !covers(this.needs, needsOf(queries, this.registry(), now.getTime()))) {
      // Windows reach back from the earliest instant still to be evaluated: a boundary that
      // passed while the process was down is evaluated at its own instant.
      const from = Math.min(now.getTime(), await earliestPassed(this.store, now));
      const want = needsOf(queries, this.registry(), from);
      const more = this.needs && missing(this.needs, want);
      // In one transaction: a consistent snapshot, and no write slips by uncaptured meanwhile.
      const held = this.needs;
      await this.store.transaction((tx) => (held && more ? this.extend(tx, held, more) : this.build(tx, want)));
    }
    await this.refreshSegments(plan, segments);
    this.stale = false;
  }

  get ready(): boolean {
    return this.needs !== undefined && !this.stale;
  }

  async load(ids: readonly string[]): Promise<Map<string, ContactState>> {
    const out = new Map<string, ContactState>();
    for (const id of ids) {
      const i = this.indexOf(id);
      const data = new HeldContact(this.contacts, this.related, this.interactions, i, id);
      out.set(id, { data, members: new MatrixMembers(this.members, i), dues: new HeldDues(this.dues, i, this.storedAt(i)), slot: i });
    }
    return out;
  }

  async earliestDue(): Promise<number> {
    while (this.heap.size > 0) {
      const key = this.heap.peekKey()!;
      const i = this.heap.peekValue()!;
      if (i < this.nextAt.data.length && key === this.nextAt.data[i]) return key;
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
    // Taken off the heap: each is processed now and pushed back with its next instant. In
    // index order, a large time step reads the columns front to back rather than at random.
    const ids: string[] = [];
    for (const i of Int32Array.from(out).sort()) ids.push(this.ids[i]!);
    return ids;
  }

  committed(states: ReadonlyMap<string, ContactState>): void {
    for (const st of states.values()) {
      const i = st.slot!;
      // Each state was loaded here, so it carries its slot and its members' final values: no
      // lookups by contact id (100,000 of them cost ~0.1 s in a large time step).
      const members = st.members as MatrixMembers;
      members.forEachChanged((segmentId, on) => {
        const column = this.members.column(segmentId);
        if (column !== undefined) this.members.set(i, column, on);
      });
      // A changed schedule is written back whole, in one walk of the contact's entries (one
      // walk per changed instant cost a scattered read each).
      const dues = st.dues as HeldDues;
      dues.writeBack(i);
      // Every contact of the batch (due ones were taken off the heap) goes back with its
      // earliest, which is also what the database now holds as its '*' row (written wherever it differed).
      const next = dues.earliest();
      this.star.ensure(i);
      this.star.data[i] = next;
      if (i < this.bySegment.data.length) this.bySegment.data[i] = 0;
      this.schedule(i, next);
    }
  }

  reset(): void {
    this.needs = undefined;
    this.segmentKeys.clear();
    this.stale = true;
  }

  // WriteCapture: the engine's writes, as stored, before they commit.

  columns(kind: RecordKind): readonly string[] {
    const needs = this.needs;
    if (!needs) return []; // nothing is held: any column will do
    if (kind === 'interaction') {
      const properties = new Set<string>();
      for (const t of needs.interactions.values()) t.properties.forEach((p) => properties.add(p));
      return ['contact_id', 'type', 'occurred_at', ...properties];
    }
    if (kind === 'contact') return ['id', ...needs.contact];
    const attributes = new Set<string>();
    for (const rel of CONTACT_RELATIONS) if (rel.to === kind) needs.related.get(rel.name)?.forEach((a) => attributes.add(a));
    return ['id', ...attributes];
  }

  rows(kind: RecordKind, rows: readonly Row[]): void {
    if (!this.needs) return;
    if (kind === 'contact') {
      for (const r of rows) this.contacts.set(this.indexOf(String(r.id)), r);
    } else if (kind === 'interaction') {
      for (const r of rows) this.addInteraction(r);
    } else {
      for (const rel of CONTACT_RELATIONS) {
        const held = rel.to === kind ? this.related.get(rel.name) : undefined;
        if (held) for (const r of rows) held.records.set(indexIn(held.index, String(r.id)), r);
      }
    }
  }

  deleted(kind: RecordKind, ids: readonly string[]): void {
    if (!this.needs) return;
    // A deleted contact's interactions stay stored, and so stay here.
    if (kind === 'contact') for (const id of ids) this.contacts.delete(this.indexOf(id));
    for (const rel of CONTACT_RELATIONS) {
      const held = rel.to === kind ? this.related.get(rel.name) : undefined;
      if (!held) continue;
      for (const id of ids) {
        const r = held.index.get(id);
        if (r !== undefined) held.records.delete(r);
      }
    }
  }

  invalidate(): void {
    this.reset();
  }

  /** A segment's members were written set-based: read them (and its schedule) again. */
  membershipWritten(segmentId: string): void {
    this.segmentKeys.delete(segmentId);
    this.stale = true;
  }

  /** Contact `i` wakes at `next` (Infinity: never by time); a heap entry it had before is superseded. */
  private schedule(i: number, next: number): void {
    this.nextAt.ensure(i);
    this.nextAt.data[i] = next;
    if (Number.isFinite(next)) this.heap.push(next, i);
  }

  /** What the database holds for contact `i`, as `DueMap.stored` says. */
  private storedAt(i: number): number {
    return i < this.bySegment.data.length && this.bySegment.data[i] === 1 ? NaN : this.starAt(i);
  }

  private starAt(i: number): number {
    return i < this.star.data.length ? this.star.data[i]! : Infinity;
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

  /** An interaction row as stored, if its type is held and it is within the type's horizon. */
  private addInteraction(r: Row): void {
    const wanted = this.needs!.interactions.get(String(r.type));
    const at = r.occurred_at;
    if (!wanted || !(at instanceof Date) || at.getTime() < wanted.horizon) return;
    this.interactions.add(this.indexOf(String(r.contact_id)), String(r.type), at.getTime(), r);
  }

  /** Load everything `needs` names, set-based: one streamed query per table. */
  private async build(db: SqlRunner, needs: Needs): Promise<void> {
    this.needs = undefined;
    this.members = new MemberMatrix();
    this.segmentKeys.clear();
    this.dues = new DueColumns();
    this.star = new GrowableFloat64(Infinity);
    this.bySegment = new GrowableInt32();
    this.heap.clear();
    this.nextAt = new GrowableFloat64(Infinity);
    this.contacts = new RecordColumns([]);
    this.related = new Map();
    this.interactions = new InteractionColumns([]);
    await this.extend(db, { contact: new Set(), related: new Map(), interactions: new Map() }, needs, true);
  }

  /** The stored interactions of one type within its horizon (the type is already in `needs`). */
  private async loadInteractions(db: SqlRunner, type: string, t: { properties: Set<string>; horizon: number }): Promise<void> {
    const q = db.dialect.ident;
    const cols = ['contact_id', 'type', 'occurred_at', ...t.properties];
    const params: SqlValue[] = [type];
    let sql = `SELECT ${cols.map(q).join(', ')} FROM ${q(TABLES.interaction)} WHERE type = $1`;
    if (Number.isFinite(t.horizon)) {
      sql += ' AND occurred_at >= CAST($2 AS TIMESTAMPTZ)';
      params.push(new Date(t.horizon).toISOString());
    }
    await db.each(sql, params, (rows) => {
      for (const r of rows) this.addInteraction(r);
    });
  }

  /**
   * Load what `more` reads beyond `have` (what is held): new attributes, new relations'
   * attributes, new interaction types; one streamed query each, and what is held stays.
   * `fresh`: nothing is held yet, so the contacts themselves are loaded too.
   */
  private async extend(db: SqlRunner, have: Needs, more: Needs, fresh = false): Promise<void> {
    const q = db.dialect.ident;
    this.needs = undefined; // a failure below leaves the state to be built again
    if (fresh || more.contact.size > 0) {
      this.contacts.addAttributes(more.contact);
      await db.each(`SELECT ${['id', ...more.contact].map(q).join(', ')} FROM ${q(TABLES.contact)}`, [], (rows) => {
        for (const r of rows) {
          if (fresh) this.contacts.set(this.indexOf(String(r.id)), r);
          else {
            const i = this.index.get(String(r.id));
            if (i !== undefined && this.contacts.has(i)) this.contacts.fill(i, r, more.contact);
          }
        }
      });
      more.contact.forEach((a) => have.contact.add(a));
    }
    for (const rel of CONTACT_RELATIONS) {
      const attrs = more.related.get(rel.name);
      if (!attrs) continue;
      let held = this.related.get(rel.name);
      if (!held) this.related.set(rel.name, (held = { index: new Map(), records: new RecordColumns([]) }));
      const records = held.records;
      const index = held.index;
      records.addAttributes(attrs);
      const freshRelation = !have.related.has(rel.name);
      await db.each(`SELECT ${['id', ...attrs].map(q).join(', ')} FROM ${q(TABLES[rel.to])}`, [], (rows) => {
        for (const r of rows) {
          const id = String(r.id);
          if (freshRelation) records.set(indexIn(index, id), r);
          else {
            const i = index.get(id);
            if (i !== undefined && records.has(i)) records.fill(i, r, attrs);
          }
        }
      });
      const set = have.related.get(rel.name) ?? new Set<string>();
      attrs.forEach((a) => set.add(a));
      have.related.set(rel.name, set);
    }
    for (const [type, t] of more.interactions) {
      this.interactions.addProperties(t.properties);
      have.interactions.set(type, t);
    }
    // Captured writes are taken from here on (the interactions below are read as of this transaction).
    this.needs = have;
    for (const [type, t] of more.interactions) await this.loadInteractions(db, type, t);
  }

  /** Members and schedule of segments whose membership changed outside the live path (go-live, edits, refreshes, hand-picked members). */
  private async refreshSegments(plan: LivePlan, segments: readonly SegmentRecord[]): Promise<void> {
    const maintained = segments.filter((s) => s.type === 'static' || plan.deps.has(s.id));
    const keys = new Map(maintained.map((s) => [s.id, `${s.status}:${s.version}:${s.updatedAt?.getTime()}:${s.evaluatedAt?.getTime()}`]));
    for (const id of [...this.members.segments()]) if (!keys.has(id)) this.members.drop(id);
    for (const id of [...this.segmentKeys.keys()]) if (!keys.has(id)) this.segmentKeys.delete(id);
    const changed = [...keys].filter(([id, key]) => this.segmentKeys.get(id) !== key).map(([id]) => id);
    if (changed.length === 0) return;
    await this.syncMemberships();
    const everything = this.segmentKeys.size === 0;
    for (const id of changed) {
      const column = this.members.clear(id);
      await this.store.each('SELECT contact_id FROM memberships WHERE segment_id = $1', [id], (rows) => {
        for (const r of rows) this.members.set(this.indexOf(String(r.contact_id)), column, true);
      });
      if (!everything) await this.reloadDues(id);
      this.segmentKeys.set(id, keys.get(id)!);
    }
    // Right after a build the whole schedule is read at once, not segment by segment.
    if (everything) await this.reloadDues();
  }

  /** The schedule of one segment (the set-based path just wrote it), or all of it. */
  private async reloadDues(segmentId?: string): Promise<void> {
    if (segmentId === undefined) {
      this.dues = new DueColumns();
      this.star = new GrowableFloat64(Infinity);
      this.bySegment = new GrowableInt32();
      this.heap.clear();
      this.nextAt = new GrowableFloat64(Infinity);
    }
    const touched = new Set<number>();
    if (segmentId !== undefined) {
      // The segment's rows were replaced, but a contact's '*' row still stands where it was
      // (written while this segment's instant was its earliest, perhaps): held here too, it
      // wakes the contact then, as it would after a restart, and the batch rewrites it.
      this.dues.dropSegment(segmentId, (i) => {
        const star = this.starAt(i);
        if (Number.isFinite(star)) this.dues.set(i, ALL_SEGMENTS, Math.min(this.dues.find(i, ALL_SEGMENTS) ?? Infinity, star));
        touched.add(i);
      });
    }
    await this.store.each(
      segmentId === undefined
        ? `SELECT contact_id, segment_id, epoch_ms(due_at) AS due FROM (${effectiveSchedule()})`
        : `SELECT contact_id, segment_id, epoch_ms(due_at) AS due FROM (${effectiveSchedule(`WHERE segment_id IN ($1, '${ALL_SEGMENTS}')`)}) WHERE segment_id = $1`,
      segmentId === undefined ? [] : [segmentId],
      (rows) => {
        for (const r of rows) {
          const i = this.indexOf(String(r.contact_id));
          const due = Number(r.due);
          const segment = String(r.segment_id);
          this.dues.add(i, segment, due);
          // A lone '*' row is what a batch would write; single-segment rows make its next batch write one.
          if (segment === ALL_SEGMENTS) {
            this.star.ensure(i);
            this.star.data[i] = due;
          } else {
            this.bySegment.ensure(i);
            this.bySegment.data[i] = 1;
          }
          touched.add(i);
        }
      },
    );
    for (const i of touched) this.schedule(i, this.dues.earliest(i));
  }
}

/**
 * One contact's data, made into rows only when an evaluation reads it: a time step of one
 * behavioral segment reads the interactions, not the account; 100,000 contacts leaving a
 * window at once should not each build what is never read.
 */
class HeldContact implements ContactData {
  private row: RecordRow | undefined | null = null;
  private relatedRows: Record<string, RecordRow | undefined> | undefined;
  private rows: InteractionRow[] | undefined;
  private byType: Map<string, InteractionRow[]> | undefined;
  private timesByType: Map<string, number[]> | undefined;

  constructor(
    private readonly contacts: RecordColumns,
    private readonly held: ReadonlyMap<string, { index: Map<string, number>; records: RecordColumns }>,
    private readonly interactionColumns: InteractionColumns,
    private readonly i: number,
    private readonly id: string,
  ) {}

  get contact(): RecordRow | undefined {
    if (this.row === null) this.row = this.contacts.row(this.i, this.id);
    return this.row;
  }

  exists(): boolean {
    return this.contacts.has(this.i);
  }

  release(): void {
    this.row = null;
    this.relatedRows = undefined;
    this.rows = undefined;
    this.byType = undefined;
    this.timesByType = undefined;
  }

  get related(): Record<string, RecordRow | undefined> {
    if (!this.relatedRows) {
      const related: Record<string, RecordRow | undefined> = {};
      for (const rel of CONTACT_RELATIONS) {
        const ref = this.contact?.[rel.via];
        const held = this.held.get(rel.name);
        const r = typeof ref === 'string' ? held?.index.get(ref) : undefined;
        related[rel.name] = r === undefined ? undefined : held!.records.row(r, ref as string);
      }
      this.relatedRows = related;
    }
    return this.relatedRows;
  }

  get interactions(): InteractionRow[] {
    this.rows ??= this.interactionColumns.rows(this.i) as InteractionRow[];
    return this.rows;
  }

  timesOf(type: string): readonly number[] {
    this.timesByType ??= new Map();
    let times = this.timesByType.get(type);
    if (!times) this.timesByType.set(type, (times = this.interactionColumns.times(this.i, type)));
    return times;
  }

  ofType(type: string): readonly InteractionRow[] {
    if (this.rows) return this.rows;
    this.byType ??= new Map();
    let rows = this.byType.get(type);
    if (!rows) this.byType.set(type, (rows = this.interactionColumns.rows(this.i, type) as InteractionRow[]));
    return rows;
  }
}

/**
 * One contact's schedule, copied out of the columns into two small arrays when first read and
 * edited there (the columns change only when the batch commits). A contact holds ~9 instants:
 * linear scans beat a Map, whose building cost more than a 100,000-contact time step's evaluations.
 */
class HeldDues implements DueMap {
  private segments: string[] | undefined;
  private readonly ms: number[] = [];
  /** An instant was set, changed or deleted since the copy was made. */
  private dirty = false;
  constructor(
    private readonly columns: DueColumns,
    private readonly i: number,
    readonly stored: number,
  ) {}
  get(segmentId: string): number | undefined {
    const k = this.held().indexOf(segmentId);
    return k < 0 ? undefined : this.ms[k];
  }
  set(segmentId: string, ms: number): void {
    const segments = this.held();
    const k = segments.indexOf(segmentId);
    if (k >= 0) {
      if (this.ms[k] === ms) return;
      this.ms[k] = ms;
    } else {
      segments.push(segmentId);
      this.ms.push(ms);
    }
    this.dirty = true;
  }
  delete(segmentId: string): void {
    const segments = this.held();
    const k = segments.indexOf(segmentId);
    if (k < 0) return;
    this.dirty = true;
    segments[k] = segments[segments.length - 1]!;
    this.ms[k] = this.ms[this.ms.length - 1]!;
    segments.pop();
    this.ms.pop();
  }
  forEach(fn: (ms: number, segmentId: string) => void): void {
    const segments = this.held();
    for (let k = 0; k < segments.length; k++) fn(this.ms[k]!, segments[k]!);
  }
  earliest(): number {
    this.held();
    let min = Infinity;
    for (const ms of this.ms) if (ms < min) min = ms;
    return min;
  }
  /** The batch committed: the columns take this copy's instants, if it changed them. */
  writeBack(i: number): void {
    if (this.dirty) this.columns.rewrite(i, this.segments!, this.ms);
    this.dirty = false;
  }
  private held(): string[] {
    if (!this.segments) {
      const segments: string[] = [];
      this.columns.forEach(this.i, (ms, s) => {
        segments.push(s);
        this.ms.push(ms);
      });
      this.segments = segments;
    }
    return this.segments;
  }
}

/**
 * One contact's memberships read from the member matrix, with the batch's changes on top (the
 * matrix changes only when the batch commits). Reading all ~100 bits into a Set for every
 * loaded contact cost more than the evaluations that use a few of them.
 */
class MatrixMembers implements MemberSet {
  private changed: Map<string, boolean> | undefined;
  constructor(
    private readonly matrix: MemberMatrix,
    private readonly i: number,
  ) {}
  has(segmentId: string): boolean {
    const c = this.changed?.get(segmentId);
    if (c !== undefined) return c;
    const column = this.matrix.column(segmentId);
    return column !== undefined && this.matrix.has(this.i, column);
  }
  add(segmentId: string): void {
    (this.changed ??= new Map()).set(segmentId, true);
  }
  delete(segmentId: string): void {
    (this.changed ??= new Map()).set(segmentId, false);
  }
  /** Each segment whose membership the batch changed, with its final value. */
  forEachChanged(fn: (segmentId: string, on: boolean) => void): void {
    this.changed?.forEach((on, segmentId) => fn(segmentId, on));
  }
  *[Symbol.iterator](): Iterator<string> {
    for (const id of new Set([...this.matrix.segments(), ...(this.changed?.keys() ?? [])])) if (this.has(id)) yield id;
  }
}

/**
 * What `want` reads beyond `have`, when holding it only takes loading more: new attributes and
 * new interaction types. Undefined when a held type must reach further back or carry more
 * properties — its interactions are then loaded again with everything else.
 */
function missing(have: Needs, want: Needs): Needs | undefined {
  const more: Needs = { contact: new Set([...want.contact].filter((a) => !have.contact.has(a))), related: new Map(), interactions: new Map() };
  for (const [rel, attrs] of want.related) {
    const extra = [...attrs].filter((a) => !have.related.get(rel)?.has(a));
    if (extra.length > 0) more.related.set(rel, new Set(extra));
  }
  for (const [type, t] of want.interactions) {
    const h = have.interactions.get(type);
    if (!h) more.interactions.set(type, t);
    else if (h.horizon > t.horizon || [...t.properties].some((p) => !h.properties.has(p))) return undefined;
  }
  return more;
}

/** The index of `id` in a related table's index, added if new. */
function indexIn(index: Map<string, number>, id: string): number {
  let i = index.get(id);
  if (i === undefined) index.set(id, (i = index.size));
  return i;
}
