import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { ContactDirectory } from './records/directory.js';
import { MemberIndex } from './segments/member-index.js';
import type { Labels } from '../schema/labels.js';
import type { SchemaRegistry } from '../schema/registry.js';
import { addAttribute, addInteractionType, loadRegistry, setLabel, setQueryable } from '../schema/store.js';
import type { AttributeType, RecordKind } from '../schema/types.js';
import { DuckDBStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { systemClock, type Clock } from './clock.js';
import { importFile, type ImportContext } from './import/import-file.js';
import { deleteRecords } from './records/delete.js';
import { ingestInteractions, upsertRecords, type EntityKind, type RecordsOptions } from './records/upsert.js';
import type { ImportKind, ImportOptions, ImportReport } from './import/types.js';
import { explainContact, type Explanation } from './contact/explain.js';
import { segmentsOfContact, type ContactChange, type ContactSegment } from './contact/segments-of.js';
import { distinctValues, type DistinctValue, type ValuesOf } from './records/distinct-values.js';
import { changesSince, latestChanges, memberPages, type ChangeRow } from './segments/members.js';
import { applyMembershipLog } from './live/log.js';
import { LiveProcessor } from './live/processor.js';
import { ResidentSource } from './live/resident.js';
import { SegmentService } from './segments/service.js';
import type { Row, SqlRunner } from '../store/store.js';

export interface OpenOptions {
  /** Database file path, or `:memory:`. */
  db: string;
  clock?: Clock;
  /**
   * Hold what live segments read in memory (a long-running process: watch, the server): a
   * micro-batch then reads nothing from the database. One-shot commands leave it off.
   */
  resident?: boolean;
}

export const DEFAULT_DB = 'segmata.duckdb';

/** The WAL size at which a long-running process checkpoints even without an idle moment. */
const RESIDENT_WAL_LIMIT = '256MB';

/**
 * DuckDB's threads in a long-running process: every core but one, which the JS main thread
 * (the live loop, the HTTP face) keeps to itself. Free to use every core, DuckDB's background
 * memberships sync (~3 s of two-thread work per million changes) took the main thread's core
 * and slowed ingest 2–4× while it ran: on 2 cores at 20,000 interactions/s, staleness p99
 * 1.8 s against 0.87 s with one core left free. Set-based queries run on fewer threads in exchange.
 */
const residentThreads = (): number => Math.max(1, availableParallelism() - 1);

/** The database path from `--db`, then SEGMATA_DB, then ./segmata.duckdb. */
export function dbPathFrom(db: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const p = db ?? env.SEGMATA_DB ?? DEFAULT_DB;
  return p === ':memory:' ? p : resolve(p);
}

/**
 * The library API: one open database with its schema registry and services. Every face
 * (CLI, HTTP, tests) goes through this object.
 */
export class Engine {
  readonly segments: SegmentService;
  /** Keeps live segments current as data changes and time passes. */
  readonly live: LiveProcessor;

  private readonly capture: ResidentSource | undefined;

  private constructor(
    readonly store: Store,
    private reg: SchemaRegistry,
    readonly clock: Clock,
    resident: boolean,
  ) {
    this.segments = new SegmentService({
      store,
      registry: () => this.reg,
      clock,
      sync: () => this.live.sync(),
      exclusive: (fn) => this.live.exclusive(fn),
      membershipWritten: (id) => this.capture?.membershipWritten(id),
      written: () => void this.membershipEpoch++,
    });
    this.live = new LiveProcessor(store, () => this.reg, clock, (ids, at) => this.segments.reevaluate(ids, at, 'data_change'));
    this.live.subscribe(() => void this.membershipEpoch++);
    if (resident) {
      this.capture = new ResidentSource(store, () => this.reg, () => this.live.sync());
      this.live.useSource(this.capture);
    }
  }

  static async open(options: OpenOptions): Promise<Engine> {
    const clock = options.clock ?? systemClock;
    const store = await DuckDBStore.open(options.db, clock);
    // A process that stopped with deferred membership changes left them in the log.
    await store.transaction((tx) => applyMembershipLog(tx));
    // A long-running process checkpoints at idle moments (LiveProcessor.maintain); the WAL's
    // own trigger, at 16 MB by default, would otherwise stall a live batch for ~0.1–1 s every
    // ~20 s at 1,000 interactions/s. The larger bound is the safety net.
    if (options.resident) {
      await store.run(`SET checkpoint_threshold = '${RESIDENT_WAL_LIMIT}'`);
      await store.run(`SET threads = ${residentThreads()}`);
    }
    return new Engine(store, await loadRegistry(store), clock, options.resident ?? false);
  }

  get registry(): SchemaRegistry {
    return this.reg;
  }

  async addAttribute(entity: RecordKind, name: string, type: AttributeType, queryable = true): Promise<void> {
    await addAttribute(this.store, this.reg, { entity, name, type, queryable });
    this.reg = await loadRegistry(this.store);
    if (entity === 'contact') this.directory?.written('all');
  }

  async addInteractionType(name: string, queryable = true): Promise<void> {
    await addInteractionType(this.store, this.reg, { name, queryable });
    this.reg = await loadRegistry(this.store);
  }

  async setQueryable(entity: string, name: string, queryable: boolean): Promise<void> {
    await setQueryable(this.store, this.reg, entity, name, queryable);
    this.reg = await loadRegistry(this.store);
  }

  /** Set (or with null or "", reset) the display label of an attribute, relation or interaction type. */
  async setLabel(entity: string, name: string, label: string | null): Promise<void> {
    await setLabel(this.store, this.reg, entity, name, label);
    this.reg = await loadRegistry(this.store);
  }

  /** How names read in words (describe.ts, explain): the registry's labels, and segments under their names. */
  async labels(): Promise<Labels> {
    const all = await this.segments.list();
    return this.reg.labels(new Map(all.map((s) => [s.id, s.name])));
  }

  /**
   * Why is (or isn't) this contact a member of this segment, block by block. Read on `reads`
   * (the read connections by default; the API passes ones stopped at its deadline).
   */
  async explain(segmentId: string, contactId: string, reads: SqlRunner = this.store.reader()): Promise<Explanation> {
    return explainContact(reads, this.reg, await this.segments.list(), segmentId, contactId, this.clock());
  }

  /** The newest changes of a segment first (before change `beforeSeq`), at most `limit`. */
  async latestChanges(segmentId: string, beforeSeq: number | undefined, limit: number): Promise<ChangeRow[]> {
    await this.segments.get(segmentId);
    return latestChanges(this.store.reader(), segmentId, beforeSeq, limit);
  }

  /** The segments a contact is in now, and its latest `changeLimit` entries and exits (newest first). */
  async segmentsOfContact(contactId: string, changeLimit = 50): Promise<{ items: ContactSegment[]; changes: ContactChange[] }> {
    await this.live.sync();
    return segmentsOfContact(this.store.reader(), contactId, changeLimit);
  }

  /** The most frequent values of an attribute (a contact path or an interaction property), for choice lists. */
  async distinctValues(of: ValuesOf, search: string | undefined, limit: number): Promise<DistinctValue[]> {
    return distinctValues(this.store.reader(), this.reg, of, search, limit);
  }

  /** Members page by page; with `withProfile`, each member's contact attributes. */
  async *members(segmentId: string, withProfile = false): AsyncGenerator<Row[]> {
    yield* memberPages(this.store, await this.segments.memberSource(segmentId), withProfile);
  }

  /** The membership change log of a segment, oldest first. */
  async changes(segmentId: string, since?: Date, afterSeq = 0): Promise<ChangeRow[]> {
    await this.segments.get(segmentId);
    // On a read connection: up to 10,000 rows of the log, not read behind the writers.
    return changesSince(this.store.reader(), segmentId, since, afterSeq, 10_000);
  }

  /** Import a CSV or JSONL file of `kind` (SPEC §1); all-or-nothing unless `skipBadRows`. */
  async importFile(kind: ImportKind, path: string, options?: ImportOptions): Promise<ImportReport> {
    try {
      return await this.live.recordingWithin((live) => importFile({ ...this.importContext(), live }, kind, path, options));
    } finally {
      if (kind === 'contacts') this.directory?.written('all');
    }
  }

  /**
   * Upsert contacts, accounts or leads given as plain objects, by id: an absent key keeps the
   * stored value, dates are ISO strings. Same validation, errors (naming `records[i].field`) and
   * all-or-nothing as an import. The touched contacts are queued for live segments.
   */
  async upsertRecords(kind: EntityKind, rows: readonly Record<string, unknown>[], options?: RecordsOptions): Promise<ImportReport> {
    try {
      return await this.live.recordingWithin((live) => upsertRecords({ ...this.importContext(), live }, kind, rows, options));
    } finally {
      if (kind === 'contacts') this.directory?.written(rows.map((r) => String(r.id)));
    }
  }

  /**
   * Append interactions `{ id?, contact_id, type, occurred_at, ...properties }` (or nested
   * `properties: {...}`); idempotent by id. Their contacts are queued for live segments; in a
   * long-running process (resident) the changes they cause are recorded in the same transaction.
   */
  async ingestInteractions(rows: readonly Record<string, unknown>[], options?: RecordsOptions): Promise<ImportReport> {
    return this.live.recordingWithin((live) => ingestInteractions({ ...this.importContext(), live }, rows, options));
  }

  /** Delete records by id in one transaction (unknown ids are ignored); the number deleted. */
  async deleteRecords(kind: EntityKind, ids: readonly string[]): Promise<number> {
    try {
      return await deleteRecords(this.store, this.clock, kind, ids, this.capture);
    } finally {
      if (kind === 'contacts') this.directory?.written(ids);
    }
  }

  /**
   * A page of a live, stopped or static segment's members with their contact attributes
   * (each row as JSON text), after contact id `after`, served from memory: the members from a sorted
   * index kept current from the change log, the contacts from an in-memory directory (both
   * loaded on first use). A long-running process's fast path for member pages.
   */
  async memberPageFromMemory(segmentId: string, after: string | undefined, limit: number): Promise<{ items: string[]; next?: string; total: number } | 'not_maintained'> {
    this.memberIndex ??= new MemberIndex(this.store.reader(), () => this.membershipEpoch);
    this.directory ??= new ContactDirectory(this.store.reader());
    const page = await this.memberIndex.page(segmentId, after, limit);
    if (page === 'not_maintained') return page;
    const items = await this.directory.get(page.ids);
    const total = await this.memberTotal(page.all);
    return page.more && page.ids.length ? { items, next: page.ids[page.ids.length - 1]!, total } : { items, total };
  }

  /**
   * How many of a membership's ids have a contact (a stopped or static segment keeps the ids of
   * contacts deleted since; pages leave those out, so the total does too). One walk of the ids,
   * kept until the membership (a new array) or the set of contacts (the directory's version) changes.
   */
  private async memberTotal(ids: readonly string[]): Promise<number> {
    const directory = this.directory!;
    const version = directory.version;
    const known = this.memberTotals.get(ids);
    if (known && known.version === version) return known.total;
    const total = await directory.count(ids);
    this.memberTotals.set(ids, { version, total });
    return total;
  }

  /** Counts committed writes of segments and memberships (the live path's and the segment service's): in-memory readers refresh when it moved. */
  private membershipEpoch = 0;
  private memberIndex: MemberIndex | undefined;
  private readonly memberTotals = new WeakMap<readonly string[], { version: number; total: number }>();
  private directory: ContactDirectory | undefined;

  private importContext(): ImportContext {
    return { store: this.store, registry: this.reg, clock: this.clock, ...(this.capture ? { capture: this.capture } : {}) };
  }

  async close(): Promise<void> {
    // Everything deferred applied, and the background sync ended, before the store closes.
    await this.live.sync();
    // A long-running process's checkpoints leave deleted rows for later (./live/checkpoints.ts): reclaimed now.
    await this.live.maintain({ closing: true });
    await this.store.close();
  }
}
