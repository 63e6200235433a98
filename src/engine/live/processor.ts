import type { Query } from '../../definition/ast.js';
import type { SchemaRegistry } from '../../schema/registry.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import type { ContactData } from '../contact/evaluate.js';
import { SMALL_BATCH, fillIdTable, loadContactData, lookup } from '../contact/load.js';
import { ensureLiveIndexes } from './indexes.js';
import { nextChangeAt } from '../contact/next-change.js';
import { segmentRepository } from '../segments/repository.js';
import type { SegmentRecord } from '../segments/types.js';
import { evaluateContactAt, type PendingChange } from './contact-step.js';
import { affectedBy, livePlan, type LivePlan } from './dependencies.js';
import { deleteByIds, insertRows, persistChanges } from './persist.js';

/** Contacts per micro-batch of data changes: one set-based load and one transaction each. */
const BATCH = 2_000;
/** Contacts per batch of passed time boundaries: many contacts often share one instant. */
const DUE_BATCH = 25_000;
/** Past this many queued contacts, a set-based re-evaluation beats per-contact work. */
export const BULK_THRESHOLD = 50_000;

export interface ProcessResult {
  contacts: number;
  changes: number;
}

export type ChangeListener = (changes: PendingChange[]) => void;

/** Re-evaluates given live segments set-based (the segment service does this). */
export type BulkReevaluate = (segmentIds: string[], at: Date) => Promise<void>;

const EMPTY: ContactData = { contact: undefined, related: {}, interactions: [] };

/**
 * Keeps live segments current: drains the change queue (live_dirty) and the due part of the
 * time schedule (live_schedule), re-evaluating only the affected segments of the affected
 * contacts in memory, and records every entry and exit with its cause and exact instant.
 */
export class LiveProcessor {
  private readonly listeners = new Set<ChangeListener>();
  private running: Promise<ProcessResult> | undefined;

  constructor(
    private readonly store: Store,
    private readonly registry: () => SchemaRegistry,
    private readonly clock: Clock,
    private readonly bulk: BulkReevaluate,
  ) {}

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
    } finally {
      this.running = undefined;
    }
  }

  /** The earliest scheduled time boundary, if any (a watcher sleeps until then). */
  async nextScheduled(): Promise<Date | undefined> {
    const [row] = await this.store.all<{ due: Date | null }>('SELECT min(due_at) AS due FROM live_schedule');
    return row?.due ?? undefined;
  }

  private async drain(): Promise<ProcessResult> {
    const total: ProcessResult = { contacts: 0, changes: 0 };
    const now = this.clock();
    const { segments, plan } = await this.currentPlan();
    if (plan.order.length === 0 && !segments.some((s) => s.type === 'static')) {
      // Nothing is maintained: queued changes concern no membership. (With a static segment,
      // a deleted contact must still leave it, which the batch below does.)
      await this.store.run('DELETE FROM live_dirty');
      return total;
    }
    if (plan.order.length > 0) await ensureLiveIndexes(this.store);
    let checkedBulk = false;
    for (;;) {
      const dirty = await this.store.all<{ seq: number; contact_id: string; source: string }>(
        `SELECT seq, contact_id, source FROM live_dirty ORDER BY seq LIMIT ${BATCH}`,
      );
      if (dirty.length === BATCH && !checkedBulk) {
        checkedBulk = true;
        if (await this.bulkIfLarge(plan, now)) continue;
      }
      // The schedule is only read when its earliest instant has passed (kept in memory).
      if (this.minDue === undefined) this.minDue = (await this.nextScheduled())?.getTime() ?? Infinity;
      const due =
        this.minDue <= now.getTime()
          ? await this.store.all<{ contact_id: string; due_at: Date }>(
              `SELECT contact_id, min(due_at) AS due_at FROM live_schedule WHERE due_at <= CAST($1 AS TIMESTAMPTZ)
               GROUP BY contact_id ORDER BY due_at LIMIT ${DUE_BATCH}`,
              [now.toISOString()],
            )
          : [];
      if (due.length > 0) this.minDue = undefined;
      if (dirty.length === 0 && due.length === 0) return total;
      const result = await this.processBatch(plan, segments, now, dirty, due);
      total.contacts += result.contacts;
      total.changes += result.changes;
    }
  }

  /** Earliest scheduled instant (ms), kept in memory; undefined when it must be re-read. */
  private minDue: number | undefined;

  private cached: { key: string; segments: SegmentRecord[]; plan: LivePlan } | undefined;

  /** The live segments and their dependency plan, re-read only when a segment changed. */
  private async currentPlan(): Promise<{ segments: SegmentRecord[]; plan: LivePlan }> {
    // Every segment's status and version: timestamps alone miss changes made within the same
    // instant (a fixed --now clock, or two lifecycle operations in one millisecond).
    const [row] = await this.store.all<{ s: string | null; u: Date | null; e: Date | null }>(
      `SELECT string_agg(id || ':' || status || ':' || version, ',' ORDER BY id) AS s, max(updated_at) AS u, max(evaluated_at) AS e FROM segments`,
    );
    const key = `${row?.s}|${row?.u?.getTime()}|${row?.e?.getTime()}`;
    if (this.cached?.key !== key) {
      // Segment writes (go-live, edits, refreshes) also reschedule: re-read the earliest instant.
      this.minDue = undefined;
      const segments = await segmentRepository.list(this.store);
      this.cached = { key, segments, plan: livePlan(segments) };
    }
    return this.cached;
  }

  /** A backlog (a bulk import) is cheaper to apply with set-based evaluations of the affected segments. */
  private async bulkIfLarge(plan: LivePlan, now: Date): Promise<boolean> {
    const [row] = await this.store.all<{ n: number; seq: number | null }>(
      'SELECT count(DISTINCT contact_id) AS n, max(seq) AS seq FROM live_dirty',
    );
    if (!row || row.n < BULK_THRESHOLD || row.seq === null) return false;
    const sources = (await this.store.all<{ source: string }>('SELECT DISTINCT source FROM live_dirty WHERE seq <= $1', [row.seq])).map((r) => r.source);
    const ids = plan.order.filter((s) => sources.some((src) => affectedBy(plan.deps.get(s.id)!, src))).map((s) => s.id);
    await this.bulk(ids, now);
    await this.store.run('DELETE FROM live_dirty WHERE seq <= $1', [row.seq]);
    this.minDue = undefined;
    return true;
  }

  private async processBatch(
    plan: LivePlan,
    segments: SegmentRecord[],
    now: Date,
    dirty: { seq: number; contact_id: string; source: string }[],
    due: { contact_id: string; due_at: Date }[],
  ): Promise<ProcessResult> {
    const registry = this.registry();
    const sources = new Map<string, Set<string>>();
    for (const d of dirty) {
      let set = sources.get(d.contact_id);
      if (!set) sources.set(d.contact_id, (set = new Set()));
      set.add(d.source);
    }
    const dueAt = new Map(due.map((d) => [d.contact_id, d.due_at]));
    const ids = [...new Set([...sources.keys(), ...dueAt.keys()])];
    const data = await loadContactData(this.store, ids, plan.interactionTypes);
    const members = await this.loadMemberships(ids);
    const staticIds = new Set(segments.filter((s) => s.type === 'static').map((s) => s.id));
    const changes: PendingChange[] = [];
    const schedule: [string, string][] = [];
    const inlineQuery = (): Query | undefined => undefined; // live segments only read maintained ones
    for (const id of ids) {
      const d = data.get(id) ?? EMPTY;
      const m = members.get(id) ?? new Set<string>();
      // 1. Time boundaries that have passed, each at its exact instant (catching up if late).
      let t = dueAt.get(id);
      while (t && t <= now) {
        changes.push(...evaluateContactAt(plan, registry, id, d, m, t, { time: true }, 'time'));
        t = this.contactNextDue(plan, d, t, registry, inlineQuery);
      }
      // 2. Data changes, as of now.
      const src = sources.get(id);
      if (src) {
        if (src.has('deleted') && !d.contact) {
          // A deleted contact also leaves static segments.
          for (const s of [...m]) {
            if (staticIds.has(s)) {
              m.delete(s);
              changes.push({ segmentId: s, contactId: id, change: 'exited', at: now, cause: 'data_change' });
            }
          }
        }
        changes.push(...evaluateContactAt(plan, registry, id, d, m, now, { sources: src }, 'data_change'));
      }
      const next = d.contact ? this.contactNextDue(plan, d, now, registry, inlineQuery) : undefined;
      if (next) schedule.push([id, next.toISOString()]);
    }
    const maxSeq = dirty.length ? dirty[dirty.length - 1]!.seq : undefined;
    await this.store.transaction(async (tx) => {
      await persistChanges(tx, changes, this.clock());
      if (maxSeq !== undefined) await tx.run('DELETE FROM live_dirty WHERE seq <= $1', [maxSeq]);
      if (ids.length > SMALL_BATCH) await tx.run('DELETE FROM live_schedule WHERE contact_id IN (SELECT id FROM _batch_ids)');
      else await deleteByIds(tx, 'DELETE FROM live_schedule WHERE', 'contact_id', ids);
      await insertRows(tx, 'INSERT INTO live_schedule (contact_id, due_at)', schedule, ['', 'TIMESTAMPTZ']);
    });
    for (const [, at] of schedule) {
      const ms = Date.parse(at);
      if (this.minDue !== undefined && ms < this.minDue) this.minDue = ms;
    }
    if (changes.length) for (const l of this.listeners) l(changes);
    return { contacts: ids.length, changes: changes.length };
  }

  /** The earliest instant after `at` when any time-dependent live segment may change for this contact. */
  private contactNextDue(plan: LivePlan, data: ContactData, at: Date, registry: SchemaRegistry, inlineQuery: (id: string) => Query | undefined): Date | undefined {
    let best: Date | undefined;
    for (const s of plan.order) {
      if (!plan.deps.get(s.id)!.timeDependent) continue;
      const next = nextChangeAt(s.definition.query!, data, { registry, now: at, inlineQuery });
      if (next && (!best || next < best)) best = next;
    }
    return best;
  }

  private async loadMemberships(ids: string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    if (ids.length > SMALL_BATCH) {
      await fillIdTable(this.store, ids);
      const rows = await this.store.all<{ segment_id: string; contact_id: string }>(
        'SELECT segment_id, contact_id FROM memberships WHERE contact_id IN (SELECT id FROM _batch_ids)',
      );
      for (const r of rows) {
        let set = out.get(r.contact_id);
        if (!set) out.set(r.contact_id, (set = new Set()));
        set.add(r.segment_id);
      }
      return out;
    }
    const rows = await lookup<{ segment_id: string; contact_id: string }>(this.store, 'SELECT segment_id, contact_id FROM memberships WHERE', 'contact_id', ids);
    for (const r of rows) {
      let set = out.get(r.contact_id);
      if (!set) out.set(r.contact_id, (set = new Set()));
      set.add(r.segment_id);
    }
    return out;
  }
}
