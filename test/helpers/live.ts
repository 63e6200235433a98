import { compileSegment } from '../../src/compiler/compile.js';
import { compileNextChanges } from '../../src/compiler/next-change.js';
import { Engine } from '../../src/engine/engine.js';
import { dependenciesOf } from '../../src/engine/live/dependencies.js';
import { compileContext, type SegmentContext } from '../../src/engine/segments/service.js';
import type { SegmentRecord } from '../../src/engine/segments/types.js';

/**
 * Test support for live segments: a file-backed engine with a clock the test moves by hand
 * (so "the process was down" is close, move the clock, reopen), and the full set-based
 * evaluations the live path is held against.
 */

/** A change as the subscriber API delivers it (only the fields the tests compare). */
export interface ObservedChange {
  segmentId: string;
  contactId: string;
  change: 'entered' | 'exited';
  at: Date;
  cause: string;
}

export class LiveHarness {
  engine!: Engine;
  /** Every change delivered to `engine.live.subscribe` since the harness opened (across restarts). */
  readonly observed: ObservedChange[] = [];
  private nowMs: number;
  private unsubscribe: (() => void) | undefined;

  private constructor(
    readonly path: string,
    start: Date,
    /** Open engines with the resident live state (as a long-running process does). */
    readonly resident: boolean,
  ) {
    this.nowMs = start.getTime();
  }

  /** The engine's clock: reads the instant the test last set. */
  readonly clock = (): Date => new Date(this.nowMs);

  get now(): Date {
    return this.clock();
  }

  static async open(path: string, start: Date, resident = false): Promise<LiveHarness> {
    const h = new LiveHarness(path, start, resident);
    await h.openEngine();
    return h;
  }

  /** Move the clock to `at` (never backwards: time only passes). */
  setClock(at: Date | number): void {
    const ms = typeof at === 'number' ? at : at.getTime();
    if (ms < this.nowMs) throw new Error(`clock would go back from ${this.now.toISOString()} to ${new Date(ms).toISOString()}`);
    this.nowMs = ms;
  }

  advance(ms: number): void {
    this.setClock(this.nowMs + ms);
  }

  /** Close the engine (no processing), run `whileDown` (e.g. move the clock), open it again. */
  async restart(whileDown?: () => void | Promise<void>): Promise<void> {
    await this.closeEngine();
    await whileDown?.();
    await this.openEngine();
  }

  async close(): Promise<void> {
    await this.closeEngine();
  }

  private async openEngine(): Promise<void> {
    this.engine = await Engine.open({ db: this.path, clock: this.clock, resident: this.resident });
    this.unsubscribe = this.engine.live.subscribe((changes) => {
      for (const c of changes) {
        this.observed.push({ segmentId: c.segmentId, contactId: c.contactId, change: c.change, at: new Date(c.at), cause: c.cause });
      }
    });
  }

  private async closeEngine(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.engine.close();
  }
}

function segmentContext(engine: Engine): SegmentContext {
  return { store: engine.store, registry: () => engine.registry, clock: engine.clock };
}

/**
 * Full set-based SQL evaluation of a segment's query as of `at` (segments it references are
 * read as their stored members, as every evaluation does). Sorted ids.
 */
export async function sqlMembers(engine: Engine, segment: SegmentRecord, all: SegmentRecord[], at: Date): Promise<string[]> {
  const compiled = compileSegment(segment.definition.query!, compileContext(segmentContext(engine), all, at));
  const rows = await engine.store.all<{ id: string }>(compiled.sql, compiled.params);
  return rows.map((r) => r.id).sort();
}

/**
 * For each contact whose verdict of a time-dependent segment can change by time alone, the
 * earliest such instant after `at`, by the set-based rules (ms since epoch).
 */
export async function sqlNextChanges(engine: Engine, segment: SegmentRecord, all: SegmentRecord[], at: Date): Promise<Map<string, number>> {
  if (!dependenciesOf(segment.definition.query).timeDependent) return new Map();
  const compiled = compileNextChanges(segment.definition.query!, compileContext(segmentContext(engine), all, at));
  const rows = await engine.store.all<{ contact_id: string; due_at: Date }>(compiled.sql, compiled.params);
  return new Map(rows.map((r) => [r.contact_id, new Date(r.due_at).getTime()]));
}

export interface LogRow {
  seq: number;
  segment_id: string;
  contact_id: string;
  change: 'entered' | 'exited';
  changed_at: Date;
  cause: string;
  recorded_at: Date;
}

/** Change-log rows after `afterSeq`, in recording order. */
export async function logSince(engine: Engine, afterSeq = 0): Promise<LogRow[]> {
  const rows = await engine.store.all<LogRow & Record<string, unknown>>(
    `SELECT seq, segment_id, contact_id, change, changed_at, cause, recorded_at FROM membership_changes
     WHERE seq > $1 ORDER BY seq`,
    [afterSeq],
  );
  return rows.map((r) => ({ ...r, changed_at: new Date(r.changed_at), recorded_at: new Date(r.recorded_at) }));
}

/** All stored memberships: segment id → sorted contact ids. */
export async function allMemberships(engine: Engine): Promise<Map<string, string[]>> {
  const rows = await engine.store.all<{ segment_id: string; contact_id: string }>(
    'SELECT segment_id, contact_id FROM memberships ORDER BY segment_id, contact_id',
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.segment_id, [...(out.get(r.segment_id) ?? []), r.contact_id]);
  return out;
}

/**
 * Replay the change log: per segment and contact, entries and exits must alternate starting
 * with an entry, and the last one must say whether the contact is a member now. Returns the
 * problems found (empty when the log replays to the membership).
 */
export function replayProblems(log: readonly LogRow[], memberships: Map<string, string[]>): string[] {
  const problems: string[] = [];
  const state = new Map<string, boolean>();
  for (const r of log) {
    const key = `${r.segment_id}/${r.contact_id}`;
    const was = state.get(key) ?? false;
    if (was === (r.change === 'entered')) problems.push(`seq ${r.seq}: ${key} ${r.change} twice in a row (${r.cause})`);
    state.set(key, r.change === 'entered');
  }
  const stored = new Set<string>();
  for (const [segmentId, ids] of memberships) for (const id of ids) stored.add(`${segmentId}/${id}`);
  for (const [key, isMember] of state) {
    if (isMember !== stored.has(key)) problems.push(`${key}: the log says ${isMember ? 'member' : 'not a member'}, memberships disagree`);
  }
  for (const key of stored) if (!state.has(key)) problems.push(`${key}: a member with no entry in the log`);
  return problems;
}

/** segments.member_count next to the number of stored membership rows, for every segment that disagrees. */
export async function memberCountProblems(engine: Engine): Promise<string[]> {
  const rows = await engine.store.all<{ id: string; member_count: number; n: number }>(
    `SELECT s.id, s.member_count, (SELECT count(*) FROM memberships m WHERE m.segment_id = s.id) AS n
     FROM segments s ORDER BY s.id`,
  );
  return rows.filter((r) => r.member_count !== r.n).map((r) => `${r.id}: member_count ${r.member_count}, ${r.n} stored`);
}

export async function existingContacts(engine: Engine): Promise<string[]> {
  const rows = await engine.store.all<{ id: string }>('SELECT id FROM contacts ORDER BY id');
  return rows.map((r) => r.id);
}

export async function countRows(engine: Engine, sql: string, params: (string | number)[] = []): Promise<number> {
  const [row] = await engine.store.all<{ n: number }>(sql, params);
  return row?.n ?? 0;
}
