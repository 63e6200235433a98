import type { Store } from '../../store/store.js';
import type { ContactData } from '../contact/evaluate.js';
import { loadContactData, rowsForIds } from '../contact/load.js';
import type { SegmentRecord } from '../segments/types.js';
import type { LivePlan } from './dependencies.js';
import { ensureLiveIndexes } from './indexes.js';
import { ALL_SEGMENTS, dueContacts, earliestDue, readDues } from './schedule.js';

/** The maintained segments a contact is a member of: a Set, or a view over the resident bitsets. */
export interface MemberSet extends Iterable<string> {
  has(segmentId: string): boolean;
  add(segmentId: string): unknown;
  delete(segmentId: string): unknown;
}

/** One contact's time boundaries, segment → epoch ms: a Map, or a view over the resident schedule. */
export interface DueMap {
  get(segmentId: string): number | undefined;
  set(segmentId: string, ms: number): void;
  delete(segmentId: string): void;
  forEach(fn: (ms: number, segmentId: string) => void): void;
  /** The earliest instant, or Infinity. */
  earliest(): number;
  /**
   * The instant of the contact's '*' row when that is all the database holds for it (Infinity
   * when it holds nothing, NaN when it holds rows of single segments): a batch leaves the
   * contact with one '*' row at its earliest instant, written unless this already says so.
   */
  readonly stored: number;
}

/** A DueMap held in a Map (a contact read from the database). */
export class MapDues implements DueMap {
  readonly stored: number;
  /** `map`: the contact's instants as the database holds them. */
  constructor(private readonly map = new Map<string, number>()) {
    this.stored = map.size === 0 ? Infinity : map.size === 1 && map.has(ALL_SEGMENTS) ? map.get(ALL_SEGMENTS)! : NaN;
  }
  get(segmentId: string): number | undefined {
    return this.map.get(segmentId);
  }
  set(segmentId: string, ms: number): void {
    this.map.set(segmentId, ms);
  }
  delete(segmentId: string): void {
    this.map.delete(segmentId);
  }
  forEach(fn: (ms: number, segmentId: string) => void): void {
    this.map.forEach(fn);
  }
  earliest(): number {
    let min = Infinity;
    for (const ms of this.map.values()) if (ms < min) min = ms;
    return min;
  }
}

/** What the live path knows of one contact while it re-evaluates it. */
export interface ContactState {
  data: ContactData;
  /** Maintained segments it is a member of (updated in place by the batch). */
  members: MemberSet;
  /** Segment → its next time boundary, epoch ms (updated in place by the batch). */
  dues: DueMap;
  /** The source's own handle on the contact (the resident state's index), if it has one. */
  slot?: number;
}

/**
 * Where the live processor reads contacts, memberships and the schedule: the database (a
 * one-shot CLI command) or the resident state of a long-running process. Writes always go to
 * the database; a source only mirrors what a committed batch changed.
 */
export interface LiveSource {
  /** Memberships are kept here, so applying the log to the memberships table can wait. */
  readonly defersMemberships: boolean;
  /** Loading contacts reads the database (so it cannot run inside another transaction). */
  readonly readsDatabase: boolean;
  /** Prepared for the current live segments, with nothing changed behind its back since. */
  readonly ready: boolean;
  /** Called at the start of each batch with the current live segments. */
  prepare(plan: LivePlan, segments: readonly SegmentRecord[], now: Date, planChanged: boolean): Promise<void>;
  load(ids: readonly string[], plan: LivePlan): Promise<Map<string, ContactState>>;
  /** The earliest boundary (epoch ms), or Infinity. */
  earliestDue(): Promise<number>;
  /** Contacts with a boundary at or before `now`, earliest first. */
  dueContacts(now: Date, limit: number): Promise<string[]>;
  /** The batch that changed these states (their final memberships and instants) committed. */
  committed(states: ReadonlyMap<string, ContactState>): void;
  /** A batch failed, or the database changed behind the source's back: re-read everything. */
  reset(): void;
}

const EMPTY: ContactData = { contact: undefined, related: {}, interactions: [] };

/** The database as the source: a few statements per batch, nothing kept between runs. */
export class DatabaseSource implements LiveSource {
  readonly defersMemberships = false;
  readonly readsDatabase = true;
  readonly ready = false;
  /** Earliest boundary, kept between batches; undefined when it must be re-read. */
  private minDue: number | undefined;

  constructor(private readonly store: Store) {}

  async prepare(plan: LivePlan, _segments: readonly SegmentRecord[], _now: Date, planChanged: boolean): Promise<void> {
    if (plan.order.length > 0) await ensureLiveIndexes(this.store);
    // Segment writes (go-live, edits, refreshes) reschedule: re-read the earliest instant.
    if (planChanged) this.minDue = undefined;
  }

  async load(ids: readonly string[], plan: LivePlan): Promise<Map<string, ContactState>> {
    const data = await loadContactData(this.store, [...ids], plan.interactionTypes);
    const members = await this.memberships(ids);
    const dues = await readDues(this.store, ids);
    return new Map(ids.map((id) => [id, { data: data.get(id) ?? EMPTY, members: members.get(id) ?? new Set(), dues: new MapDues(dues.get(id)) }]));
  }

  async earliestDue(): Promise<number> {
    this.minDue ??= await earliestDue(this.store);
    return this.minDue;
  }

  async dueContacts(now: Date, limit: number): Promise<string[]> {
    const ids = await dueContacts(this.store, now, limit);
    if (ids.length > 0) this.minDue = undefined;
    return ids;
  }

  committed(states: ReadonlyMap<string, ContactState>): void {
    if (this.minDue === undefined) return;
    for (const s of states.values()) this.minDue = Math.min(this.minDue, s.dues.earliest());
  }

  reset(): void {
    this.minDue = undefined;
  }

  private async memberships(ids: readonly string[]): Promise<Map<string, Set<string>>> {
    const rows = await rowsForIds<{ segment_id: string; contact_id: string }>(this.store, 'SELECT segment_id, contact_id FROM memberships WHERE', 'contact_id', ids);
    const out = new Map<string, Set<string>>();
    for (const r of rows) {
      let set = out.get(r.contact_id);
      if (!set) out.set(r.contact_id, (set = new Set()));
      set.add(r.segment_id);
    }
    return out;
  }
}
