import type { SchemaRegistry } from '../../schema/registry.js';
import type { InlineRecording } from '../import/import-staged.js';
import type { QueueEntry } from '../records/change-capture.js';
import type { SqlRunner, Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { contactExists, type ContactData } from '../contact/evaluate.js';
import { nextChangeMs } from '../contact/next-change.js';
import { segmentRepository } from '../segments/repository.js';
import type { SegmentRecord } from '../segments/types.js';
import { checkpointToRun } from './checkpoints.js';
import { evaluateContactAt, type PendingChange } from './contact-step.js';
import { affectedBy, livePlan, reachedBy, type LivePlan } from './dependencies.js';
import { takeSequences } from '../../store/sequences.js';
import { CHANGE_SEQUENCE, appendChanges, applyMembershipLog } from './log.js';
import { ALL_SEGMENTS, DUE_SEQUENCE, appendDues, compactSchedule, type DueRow } from './schedule.js';
import { DatabaseSource, type ContactState, type DueMap, type LiveSource } from './source.js';

/** Contacts per micro-batch of data changes: one set-based load and one transaction each. */
const BATCH = 5_000;
/**
 * The largest write whose changes are recorded in its own transaction (an API ingest of up to
 * 50,000): recorded there, they are neither queued, read back nor deleted. Larger writes are
 * queued and taken in batches.
 */
const INLINE_MAX = 50_000;
/** Contacts per batch of passed time boundaries: many contacts often share one instant. */
const DUE_BATCH = 100_000;
/** Past this many queued contacts, a set-based re-evaluation beats per-contact work. */
export const BULK_THRESHOLD = 50_000;
/** A long-running process brings the memberships table up to date in the background this often (ms)… */
const SYNC_EVERY_MS = 10_000;
/**
 * … or once this many log entries wait. Each sync scans the whole memberships table to delete
 * (~0.3 s at 10M rows, whatever the number deleted), so a fast stream syncs in large steps:
 * measured at 5 changes per interaction, syncs of 250,000 entries cost ~24 µs of CPU per
 * interaction and of 1,000,000 ~10, on two cores shared with the live loop.
 */
const SYNC_AFTER = 1_000_000;
/** Deferred log entries past which batches wait for the memberships table to be brought up to date. */
const DEFERRED_LIMIT = 4_000_000;
/** Schedule rows appended past which superseded ones are dropped. */
const COMPACT_AFTER = 2_000_000;

export interface ProcessResult {
  contacts: number;
  changes: number;
}

export type ChangeListener = (changes: PendingChange[]) => void;

/** Re-evaluates given live segments set-based (the segment service does this). */
export type BulkReevaluate = (segmentIds: string[], at: Date) => Promise<void>;

type DirtyRow = QueueEntry & { seq: number };

/** One micro-batch, evaluated and ready to write. */
interface Batch {
  states: Map<string, ContactState>;
  changes: PendingChange[];
  /** Each contact's new earliest instant, where it differs from the stored one (what is written). */
  earliestRows: DueRow[];
  /** The last queue entry it took. */
  maxSeq: number | undefined;
  contacts: number;
}

/**
 * Keeps live segments current: drains the change queue (live_dirty) and the due part of the
 * time schedule, re-evaluating only the affected segments of the affected contacts in memory,
 * and records every entry and exit with its cause and exact instant.
 */
export class LiveProcessor {
  private readonly listeners = new Set<ChangeListener>();
  private running: Promise<ProcessResult> | undefined;
  private source: LiveSource;
  /** Log entries written but not yet applied to the memberships table. */
  private deferred = 0;
  private appendedDues = 0;
  private cached: { key: string; segments: SegmentRecord[]; plan: LivePlan } | undefined;
  /** The plan key the source was last prepared for. */
  private prepared: string | undefined;

  constructor(
    private readonly store: Store,
    private readonly registry: () => SchemaRegistry,
    private readonly clock: Clock,
    private readonly bulk: BulkReevaluate,
  ) {
    this.source = new DatabaseSource(store);
  }

  /** Read contacts from `source` from now on (the resident state of a long-running process). */
  useSource(source: LiveSource): void {
    this.source = source;
    this.cached = undefined;
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Apply every queued change and every due time boundary, as of the clock. One at a time. */
  async processPending(): Promise<ProcessResult> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.drain();
    try {
      return await this.running;
    } catch (e) {
      this.source.reset();
      throw e;
    } finally {
      this.running = undefined;
    }
  }

  /**
   * Run a write so that the live changes it causes are recorded in its own transaction: the
   * write is handed the hooks of `InlineRecording`. A long-running process's ingest then costs
   * one transaction instead of two, and its changes are recorded when it is acknowledged.
   * Only with a source that reads no database (the resident state), only when the live
   * segments are as last prepared, and only for writes up to INLINE_MAX rows; otherwise the queue
   * entries stay for `processPending`, as always.
   */
  async recordingWithin<T>(write: (live: InlineRecording) => Promise<T>): Promise<T> {
    if (this.source.readsDatabase) return write(NOT_INLINE);
    while (this.running) await this.running.catch(() => undefined);
    let batch: Batch | undefined;
    let tookDue = false;
    const live: InlineRecording = {
      takes: async (tx, rows) => rows <= INLINE_MAX && (await this.preparedFor(tx)),
      beforeCommit: async (tx, entries) => {
        // Handed-over entries were never queued; otherwise the queue holds this write's entries
        // (and any left by earlier writes), taken here unless that is a whole batch or more.
        let dirty: readonly QueueEntry[] | undefined = entries;
        let maxSeq: number | undefined;
        if (!dirty) {
          if (!(await this.preparedFor(tx))) return;
          const queued = await readQueue(tx);
          if (queued.length === BATCH) return;
          dirty = queued;
          maxSeq = lastSeq(queued);
        }
        if (dirty.length === 0) return;
        const now = this.clock();
        const due = await this.takeDue(now);
        tookDue = due.length > 0;
        const cached = this.cached!;
        batch = await this.evaluateBatch(cached.plan, cached.segments, now, dirty, due, maxSeq);
        await this.writeBatch(tx, batch);
      },
    };
    const run = write(live).then(
      (out) => {
        if (batch) this.finishBatch(batch);
        return out;
      },
      (e: unknown) => {
        // Due contacts taken off the schedule, states half-evaluated: the source starts over.
        if (batch || tookDue) this.source.reset();
        throw e;
      },
    );
    // Others only wait for it to end; the write's own error reaches its caller (below), so it
    // must not surface a second time as an unhandled rejection.
    const idle = (): ProcessResult => ({ contacts: 0, changes: 0 });
    this.running = run.then(idle, idle);
    try {
      return await run;
    } finally {
      this.running = undefined;
    }
  }

  /** Is the source ready for the live segments as they stand (as read in `tx`)? */
  private async preparedFor(tx: SqlRunner): Promise<boolean> {
    const cached = this.cached;
    return !!cached && this.prepared === cached.key && this.source.ready && (await planKey(tx)) === cached.key;
  }

  /** The earliest scheduled time boundary, if any (a watcher sleeps until then). */
  async nextScheduled(): Promise<Date | undefined> {
    const ms = await this.source.earliestDue();
    return Number.isFinite(ms) ? new Date(ms) : undefined;
  }

  /** Bring the memberships table up to date with the change log (before anything reads it). */
  async sync(): Promise<void> {
    await this.settle();
    if (this.deferred === 0) return;
    this.deferred = 0;
    this.synced(await this.store.transaction((tx) => syncMemberships(tx)));
  }

  /**
   * Run `fn`, a write of segments or memberships (a lifecycle operation, say), with no
   * background sync in flight and none starting meanwhile: both would write the same rows, and
   * the later commit would fail.
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.exclusiveHolds++;
    try {
      await this.settle();
      return await fn();
    } finally {
      this.exclusiveHolds--;
    }
  }

  /**
   * Housekeeping between passes. A long-running process brings the memberships table up to
   * date in the background, on a second connection, while batches go on: applied every second
   * on the batches' own connection it took ~0.3 s of every second at 10,000 interactions/s
   * (the removals scan the whole table, whatever their number). Then the schedule's superseded
   * rows (also in the background), and a checkpoint when one is due (./checkpoints.ts). `syncNow`: start the background
   * sync whatever its cadence. `closing`: the process ends, so the checkpoint is a vacuuming one
   * (after a light one, a vacuum would find no row group changed and reclaim nothing).
   */
  async maintain(options: { syncNow?: boolean; closing?: boolean } = {}): Promise<void> {
    const now = performance.now();
    const syncDue = options.syncNow || this.deferred >= SYNC_AFTER || now - this.lastSync >= SYNC_EVERY_MS;
    if (this.deferred > 0 && !this.background && this.exclusiveHolds === 0 && syncDue) {
      this.syncInBackground();
    }
    if (this.appendedDues > COMPACT_AFTER && !this.background && this.exclusiveHolds === 0) this.compactInBackground();
    // A closing process's vacuum comes after whatever runs in the background.
    if (options.closing) await this.settle();
    // A long-running process (its WAL trigger raised, see Engine.open) checkpoints here; not
    // while a background sync or compaction runs, which the checkpoint would have to wait for.
    if (!this.source.defersMemberships || this.background) return;
    const kind = options.closing
      ? 'vacuum'
      : checkpointToRun({
          sinceCheckpoint: now - this.lastCheckpoint,
          deadRows: this.deadRows,
          liveRows: this.liveRows,
          walBytes: this.store.walBytes(),
          batchesSinceCheckpoint: this.batchesSinceCheckpoint,
          batchesSinceVacuum: this.batchesSinceVacuum,
          thinned: this.thinned,
          compacted: this.compacted,
        });
    if (kind === 'none') return;
    const started = performance.now();
    await this.store.checkpoint({ vacuum: kind === 'vacuum' });
    this.lastCheckpoint = performance.now();
    this.checkpoints[kind].add(this.lastCheckpoint - started);
    this.batchesSinceCheckpoint = 0;
    this.thinned = false;
    this.compacted = false;
    if (kind === 'vacuum') {
      this.deadRows = 0;
      this.batchesSinceVacuum = 0;
    }
  }

  /** The checkpoints `maintain` ran, and how long each stopped the writers (ms). */
  readonly checkpoints = { light: new Pauses(), vacuum: new Pauses() };
  private lastCheckpoint = performance.now();
  /** Membership rows the syncs deleted since the last vacuuming checkpoint, and the rows the table held after the last sync. */
  private deadRows = 0;
  private liveRows = 0;
  private batchesSinceCheckpoint = 0;
  private batchesSinceVacuum = 0;
  /** A memberships sync, or a schedule compaction, deleted rows since the last checkpoint. */
  private thinned = false;
  private compacted = false;
  private lastSync = performance.now();
  /** The background sync or schedule compaction in flight, if any; it never rejects. */
  private background: Promise<void> | undefined;
  /** Writers of segments or memberships under way (`exclusive`): no background sync starts. */
  private exclusiveHolds = 0;

  /** Apply the change log to the memberships table on the store's background connection. */
  private syncInBackground(): void {
    const taken = this.deferred;
    this.deferred = 0;
    // Rolled back: the entries wait for the next sync, which reports a lasting failure.
    this.inBackground(syncMemberships, (done) => this.synced(done), () => (this.deferred += taken));
  }

  /**
   * Drop the schedule's superseded rows on the background connection: rewriting ~7M rows took
   * ~5 s, which on the batches' own connection stopped the live loop that long. Rows appended
   * meanwhile are newer than any it deletes (a superseded row stays superseded), so batches go on.
   */
  private compactInBackground(): void {
    const taken = this.appendedDues;
    this.appendedDues = 0;
    const compacted = (): void => {
      this.compacted = true;
      this.thinned = true;
    };
    // Rolled back: tried again at a later idle moment.
    this.inBackground(compactSchedule, compacted, () => (this.appendedDues += taken));
  }

  /** Run `work` in a transaction on the background connection; `background` holds it until it ends (never rejecting). */
  private inBackground<T>(work: (tx: SqlRunner) => Promise<T>, done: (out: T) => void, failed: () => void): void {
    this.background = this.store
      .backgroundTransaction(work)
      .then(done, failed)
      .finally(() => {
        this.background = undefined;
      });
  }

  /** A sync committed: it may have thinned the memberships table's row groups. */
  private synced(done: { removed: number; rows: number }): void {
    this.lastSync = performance.now();
    this.thinned = true;
    this.deadRows += done.removed;
    this.liveRows = done.rows;
  }

  /** Wait for the background sync or compaction, if one is in flight. */
  private async settle(): Promise<void> {
    while (this.background) await this.background;
  }

  private async drain(): Promise<ProcessResult> {
    const total: ProcessResult = { contacts: 0, changes: 0 };
    const now = this.clock();
    let checkedBulk = false;
    let current: { segments: SegmentRecord[]; plan: LivePlan; changed: boolean } | undefined;
    for (;;) {
      // Read once per drain (and again after a bulk re-evaluation changed the segments).
      current ??= await this.currentPlan();
      const { segments, plan, changed } = current;
      if (plan.order.length === 0 && !segments.some((s) => s.type === 'static')) {
        // Nothing is maintained: queued changes concern no membership. (With a static segment,
        // a deleted contact must still leave it, which the batch below does.)
        await this.store.run('DELETE FROM live_dirty');
        return total;
      }
      await this.source.prepare(plan, segments, now, changed);
      this.prepared = this.cached?.key;
      const dirty = await readQueue(this.store);
      if (dirty.length === BATCH && !checkedBulk) {
        checkedBulk = true;
        if (await this.bulkIfLarge(plan, now)) {
          current = undefined;
          continue;
        }
      }
      const due = await this.takeDue(now);
      if (dirty.length === 0 && due.length === 0) break;
      const result = await this.processBatch(plan, segments, now, dirty, due, lastSeq(dirty));
      total.contacts += result.contacts;
      total.changes += result.changes;
      current = { ...current, changed: false };
      // A short batch took the whole queue and every due boundary: no need to ask again.
      if (dirty.length < BATCH && due.length < DUE_BATCH) break;
    }
    // Past the limit the batches wait for the sync: the log must not outrun it without bound.
    if (this.deferred > DEFERRED_LIMIT) await this.sync();
    else if (this.deferred >= SYNC_AFTER || this.appendedDues > COMPACT_AFTER) await this.maintain();
    return total;
  }

  /** Contacts whose time boundary has passed by `now`, taken off the schedule (they must be processed). */
  private async takeDue(now: Date): Promise<string[]> {
    return (await this.source.earliestDue()) <= now.getTime() ? this.source.dueContacts(now, DUE_BATCH) : [];
  }

  /** The live segments and their dependency plan, re-read only when a segment changed. */
  private async currentPlan(): Promise<{ segments: SegmentRecord[]; plan: LivePlan; changed: boolean }> {
    const key = await planKey(this.store);
    if (this.cached?.key === key) return { ...this.cached, changed: false };
    const segments = await segmentRepository.list(this.store);
    this.cached = { key, segments, plan: livePlan(segments) };
    return { ...this.cached, changed: true };
  }

  /** A backlog (a bulk import) is cheaper to apply with set-based evaluations of the affected segments. */
  private async bulkIfLarge(plan: LivePlan, now: Date): Promise<boolean> {
    const [row] = await this.store.all<{ n: number; seq: number | null }>(
      'SELECT count(DISTINCT contact_id) AS n, max(seq) AS seq FROM live_dirty',
    );
    if (!row || row.n < BULK_THRESHOLD || row.seq === null) return false;
    const sources = (await this.store.all<{ source: string }>('SELECT DISTINCT source FROM live_dirty WHERE seq <= $1', [row.seq])).map((r) => r.source);
    const ids = plan.order.filter((s) => sources.some((src) => affectedBy(plan.deps.get(s.id)!, src))).map((s) => s.id);
    await this.sync();
    await this.bulk(ids, now);
    await this.store.run('DELETE FROM live_dirty WHERE seq <= $1', [row.seq]);
    this.source.reset();
    return true;
  }

  private async processBatch(plan: LivePlan, segments: SegmentRecord[], now: Date, dirty: DirtyRow[], due: string[], maxSeq: number | undefined): Promise<ProcessResult> {
    const batch = await this.evaluateBatch(plan, segments, now, dirty, due, maxSeq);
    await this.store.transaction((tx) => this.writeBatch(tx, batch));
    return this.finishBatch(batch);
  }

  /**
   * Evaluate the queued and due contacts of a batch in memory: its changes and new instants,
   * nothing written. `maxSeq`: the last queue entry it takes (none for handed-over entries).
   */
  private async evaluateBatch(
    plan: LivePlan,
    segments: SegmentRecord[],
    now: Date,
    dirty: readonly QueueEntry[],
    due: string[],
    maxSeq: number | undefined,
  ): Promise<Batch> {
    const registry = this.registry();
    // Which segments each kind of change reaches, worked out once per batch, not per contact.
    const reach = new Map<string, number[]>();
    const reachOf = (source: string): number[] => {
      let positions = reach.get(source);
      if (!positions) reach.set(source, (positions = reachedBy(plan, source)));
      return positions;
    };
    const reached = (src: ReadonlySet<string>): number[] => src.size === 1 ? reachOf(src.values().next().value!) : [...src].flatMap(reachOf);
    const sources = new Map<string, Set<string>>();
    for (const d of dirty) {
      // A change no live segment reads (an interaction type none of them names) changes no
      // membership: its contact is not even loaded. A deletion always counts (static segments).
      if (d.source !== 'deleted' && reachOf(d.source).length === 0) continue;
      let set = sources.get(d.contact_id);
      if (!set) sources.set(d.contact_id, (set = new Set()));
      set.add(d.source);
    }
    // (Due contacts come once each: a time-only batch needs no merging.)
    const ids = sources.size === 0 ? due : [...new Set([...sources.keys(), ...due])];
    const states = await this.source.load(ids, plan);
    const staticIds = new Set(segments.filter((s) => s.type === 'static').map((s) => s.id));
    const changes: PendingChange[] = [];
    const earliestRows: DueRow[] = [];
    const nowMs = now.getTime();
    let instant = new Date(NaN);
    for (const [id, st] of states) {
      const { data, members } = st;
      // Edited in place: the source takes the contact's final schedule when the batch commits.
      const dues = st.dues;
      // 1. Time boundaries that have passed, each at its exact instant (catching up if late),
      //    re-evaluating only the segments whose boundary it is.
      for (let first = true; ; first = false) {
        const { t, passed, stale } = earliestOf(plan, st.dues, first);
        // Boundaries of segments no longer live (stopped, edited) are dropped.
        for (const s of stale) dues.delete(s);
        if (t > nowMs) break;
        // Contacts of a batch often share an instant: one Date for all of them.
        if (instant.getTime() !== t) instant = new Date(t);
        const at = instant;
        const direct = passed.includes(ALL_SEGMENTS) ? plan.timeDependent : positionsOf(plan, passed);
        const evaluated = evaluateContactAt(plan, registry, id, data, members, at, direct, 'time', changes);
        for (const s of passed) dues.delete(s);
        reschedule(registry, plan, data, dues, evaluated, at);
      }
      // 2. Data changes, as of now.
      const src = sources.get(id);
      if (src) {
        if (src.has('deleted') && !contactExists(data)) {
          // A deleted contact also leaves static segments.
          for (const s of [...members]) {
            if (staticIds.has(s)) {
              members.delete(s);
              changes.push({ segmentId: s, contactId: id, change: 'exited', at: now, cause: 'data_change' });
            }
          }
        }
        const evaluated = evaluateContactAt(plan, registry, id, data, members, now, reached(src), 'data_change', changes);
        reschedule(registry, plan, data, dues, evaluated, now);
      }
      if (!contactExists(data)) for (const s of segmentsOf(st.dues)) dues.delete(s);
      // The database keeps only the earliest, as a '*' row that wakes every segment of the
      // contact: single-segment rows (from taking a segment live) would wake only their own.
      const earliest = st.dues.earliest();
      if (earliest !== st.dues.stored) earliestRows.push({ contactId: id, segmentId: ALL_SEGMENTS, due: Number.isFinite(earliest) ? earliest : null, slot: st.slot });
      data.release?.();
    }
    return { states, changes, earliestRows, maxSeq, contacts: ids.length };
  }

  /** A batch's writes: its changes, new instants, and the queue entries it took. */
  private async writeBatch(tx: SqlRunner, batch: Batch): Promise<void> {
    // Both ranges in one statement: a statement costs ~2–4 ms here, whatever its work.
    const [changesFrom, duesFrom] = await takeSequences(tx, [
      { sequence: CHANGE_SEQUENCE, n: batch.changes.length },
      { sequence: DUE_SEQUENCE, n: batch.earliestRows.length },
    ]);
    await appendChanges(tx, batch.changes, this.clock(), changesFrom);
    await appendDues(tx, batch.earliestRows, duesFrom);
    if (batch.maxSeq !== undefined) await tx.run('DELETE FROM live_dirty WHERE seq <= $1', [batch.maxSeq]);
    if (!this.source.defersMemberships) await applyMembershipLog(tx);
  }

  /** After the batch's transaction committed: the source, counters and subscribers learn of it. */
  private finishBatch(batch: Batch): ProcessResult {
    this.batchesSinceCheckpoint++;
    this.batchesSinceVacuum++;
    if (this.source.defersMemberships) this.deferred += batch.changes.length;
    this.appendedDues += batch.earliestRows.length;
    this.source.committed(batch.states);
    if (batch.changes.length) for (const l of this.listeners) l(batch.changes);
    return { contacts: batch.contacts, changes: batch.changes.length };
  }
}

/** How many pauses of a kind, and their total and longest (ms). */
export class Pauses {
  count = 0;
  totalMs = 0;
  maxMs = 0;
  add(ms: number): void {
    this.count++;
    this.totalMs += ms;
    this.maxMs = Math.max(this.maxMs, ms);
  }
  /** What was counted, and start again. */
  take(): { count: number; totalMs: number; maxMs: number } {
    const out = { count: this.count, totalMs: this.totalMs, maxMs: this.maxMs };
    this.count = this.totalMs = this.maxMs = 0;
    return out;
  }
}

/** Apply the change log to the memberships table; what it deleted, and the rows the table now holds. */
async function syncMemberships(tx: SqlRunner): Promise<{ removed: number; rows: number }> {
  const { removed } = await applyMembershipLog(tx);
  // Member counts are kept with the table: their sum is its size, without a scan.
  const [size] = await tx.all<{ n: number | null }>('SELECT sum(member_count) AS n FROM segments');
  return { removed, rows: Number(size?.n ?? 0) };
}

/** A write whose changes are left in the queue for `processPending`. */
const NOT_INLINE: InlineRecording = { takes: async () => false, beforeCommit: async () => undefined };

const lastSeq = (dirty: readonly DirtyRow[]): number | undefined => (dirty.length ? dirty[dirty.length - 1]!.seq : undefined);

/** The oldest queued changes, one batch of them. */
function readQueue(db: SqlRunner): Promise<DirtyRow[]> {
  return db.all<DirtyRow>(`SELECT seq, contact_id, source FROM live_dirty ORDER BY seq LIMIT ${BATCH}`);
}

/**
 * What the plan depends on. Every segment's status and version: timestamps alone miss changes
 * made within the same instant (a fixed --now clock, or two lifecycle operations in one ms).
 */
async function planKey(db: SqlRunner): Promise<string> {
  // A sum of 64-bit hashes: half the cost of listing them (it is asked twice per batch), and a
  // change that leaves the sum and count as they were is a 1-in-2^64 chance.
  const [row] = await db.all<{ h: string | null; n: number; u: Date | null; e: Date | null }>(
    `SELECT CAST(sum(hash(id, status, version)) AS VARCHAR) AS h, count(*) AS n, max(updated_at) AS u, max(evaluated_at) AS e FROM segments`,
  );
  return `${row?.h}|${row?.n}|${row?.u?.getTime()}|${row?.e?.getTime()}`;
}

/** Live segments reference only maintained segments: nothing is evaluated inline. */
const NOTHING_INLINE = (): undefined => undefined;

/** New next instants for the evaluated time-dependent segments of one contact, as of `at`. */
function reschedule(registry: SchemaRegistry, plan: LivePlan, data: ContactData, dues: DueMap, evaluated: readonly SegmentRecord[], at: Date): void {
  for (const s of evaluated) {
    if (!plan.deps.get(s.id)!.timeDependent) continue;
    const next = nextChangeMs(s.definition.query!, data, { registry, now: at, inlineQuery: NOTHING_INLINE });
    if (next !== Infinity) dues.set(s.id, next);
    else dues.delete(s.id);
  }
}

/**
 * In one pass over `dues`: the earliest instant (Infinity if none) and the segments whose
 * instant it is; with `checkStale`, also the segments no longer live and time-dependent
 * (stopped or edited since their instant was set), left out of the rest.
 */
function earliestOf(plan: LivePlan, dues: DueMap, checkStale: boolean): { t: number; passed: string[]; stale: string[] } {
  let t = Infinity;
  const passed: string[] = [];
  const stale: string[] = [];
  dues.forEach((ms, s) => {
    if (checkStale && s !== ALL_SEGMENTS && !plan.deps.get(s)?.timeDependent) stale.push(s);
    else {
      if (ms < t) {
        t = ms;
        passed.length = 0;
      }
      if (ms === t) passed.push(s);
    }
  });
  return { t, passed, stale };
}

/** The segments of `dues` (collected first: the caller edits `dues`). */
function segmentsOf(dues: DueMap): string[] {
  const out: string[] = [];
  dues.forEach((_, s) => out.push(s));
  return out;
}

/** Positions (in the plan's order) of the live segments among `segmentIds`. */
function positionsOf(plan: LivePlan, segmentIds: readonly string[]): number[] {
  const out: number[] = [];
  for (const s of segmentIds) {
    const p = plan.position.get(s);
    if (p !== undefined) out.push(p);
  }
  return out;
}
