import type { CompileContext, SegmentSource } from '../../compiler/compile.js';
import { compileCounts, compileSegment } from '../../compiler/compile.js';
import type { SegmentDefinition } from '../../definition/ast.js';
import { referencedSegments } from '../../definition/ast.js';
import { checkDefinition } from '../../definition/check.js';
import { idFromName, parseDefinitionShape } from '../../definition/parse.js';
import { SegmataError } from '../../errors.js';
import type { SchemaRegistry } from '../../schema/registry.js';
import type { SqlRunner, Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { compileNextChanges } from '../../compiler/next-change.js';
import { dependenciesOf, dependencyOrder } from '../live/dependencies.js';
import { applyMembership, changeStaticMembers } from './membership.js';
import { dropSegmentSchedule, scheduleSegment } from '../live/schedule.js';
import { referrers, segmentRepository as repo } from './repository.js';
import { LOCAL_ACTOR, recordAudit, type AuditAction, type ChangeOptions } from '../access/audit.js';
import type { ChangeCause, Estimate, EvaluationResult, SegmentRecord } from './types.js';
import { descriptionReadings, followDescription } from '../templates/description.js';

export interface SegmentContext {
  store: Store;
  registry: () => SchemaRegistry;
  clock: Clock;
  /** Bring stored memberships up to date (the live path may defer them); before every read. */
  sync?: () => Promise<void>;
  /**
   * A segment's stored membership was written set-based (evaluation, hand-picked members):
   * whoever holds members in memory (the resident live state) reads them again. Timestamps
   * cannot tell: two writes may fall within the same millisecond.
   */
  membershipWritten?: (segmentId: string) => void;
  /**
   * Run a write of segments or memberships with no background sync of memberships in flight
   * (the live path's, see LiveProcessor.exclusive): both would write the same rows.
   */
  exclusive?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** After every write of segments or memberships (committed or not): whoever holds them in memory looks again. */
  written?: () => void;
}

/** Are this segment's members the stored ones (static, live, or stopped with its last membership kept), not an evaluation? */
export function hasStoredMembers(s: Pick<SegmentRecord, 'type' | 'status'>): boolean {
  return s.type === 'static' || s.status === 'live' || s.status === 'stopped';
}

/** Is this segment's membership maintained (and so read as stored members by others)? */
export function isMaintained(s: SegmentRecord): boolean {
  return s.type === 'static' || s.status === 'live';
}

export function compileContext(ctx: SegmentContext, all: SegmentRecord[], now: Date): CompileContext {
  const byId = new Map(all.map((s) => [s.id, s]));
  return {
    registry: ctx.registry(),
    dialect: ctx.store.dialect,
    now,
    segmentSource(id: string): SegmentSource {
      const s = byId.get(id);
      if (!s) throw new SegmataError('evaluation_failed', `segment "${id}" does not exist`);
      if (isMaintained(s) || !s.definition.query) return { kind: 'members' };
      return { kind: 'inline', query: s.definition.query };
    },
  };
}

/** Parse + validate a definition file/body against the registry and the saved segments. */
export function validateDefinition(input: unknown, ctx: SegmentContext, all: SegmentRecord[], fixedId?: string): SegmentDefinition {
  const shape = parseDefinitionShape(input);
  const id = fixedId ?? shape.id ?? idFromName(shape.name);
  if (fixedId && shape.id && shape.id !== fixedId) {
    throw new SegmataError('invalid_definition', `id: the file says "${shape.id}" but segment "${fixedId}" is being updated`, [
      { path: 'id', message: `expected "${fixedId}"` },
    ]);
  }
  const def: SegmentDefinition = { ...shape, id };
  const byId = new Map(all.map((s) => [s.id, s]));
  checkDefinition(def, {
    registry: ctx.registry(),
    segments: (ref) => {
      const s = byId.get(ref);
      return s ? { type: s.type, references: referencedSegments(s.definition.query) } : undefined;
    },
  });
  return def;
}

async function checkContactsExist(db: SqlRunner, ids: string[]): Promise<void> {
  const unknown: string[] = [];
  for (let i = 0; i < ids.length && unknown.length < 10; i += 500) {
    const batch = ids.slice(i, i + 500);
    const list = batch.map((_, k) => `($${k + 1})`).join(', ');
    const rows = await db.all<{ id: string }>(
      `SELECT s.id FROM (VALUES ${list}) AS s(id) WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = s.id)`,
      batch,
    );
    unknown.push(...rows.map((r) => r.id));
  }
  if (unknown.length > 0) {
    throw new SegmataError('invalid_argument', `unknown contact id(s): ${unknown.slice(0, 10).join(', ')}`, unknown.map((id) => ({ path: 'members', message: `unknown contact "${id}"` })));
  }
}


export class SegmentService {
  constructor(private readonly ctx: SegmentContext) {}

  private now(): Date {
    return this.ctx.clock();
  }

  /** A transaction that writes segments or memberships. */
  private async transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const run = (): Promise<T> => this.ctx.store.transaction(fn);
    try {
      return await (this.ctx.exclusive ? this.ctx.exclusive(run) : run());
    } finally {
      this.ctx.written?.();
    }
  }

  /** A change's audit entry, written in the change's own transaction. */
  private audit(tx: SqlRunner, options: ChangeOptions, action: AuditAction, segmentId: string, before: number | null, after: number | null, now: Date): Promise<void> {
    return recordAudit(tx, { at: now, actor: options.actor ?? LOCAL_ACTOR, action, segmentId, versionBefore: before, versionAfter: after });
  }

  /** A status written outside a transaction; readers holding segments learn of it. */
  private async setStatus(id: string, status: SegmentRecord['status'], now: Date, error: string | null = null): Promise<void> {
    try {
      await repo.setStatus(this.ctx.store, id, status, now, error);
    } finally {
      this.ctx.written?.();
    }
  }

  /** Every operation starts here, so each sees memberships and counts up to date. */
  async list(): Promise<SegmentRecord[]> {
    await this.ctx.sync?.();
    return repo.list(this.ctx.store);
  }

  async get(id: string): Promise<SegmentRecord> {
    await this.ctx.sync?.();
    return repo.get(this.ctx.store, id);
  }

  async create(input: unknown, options: ChangeOptions = {}): Promise<SegmentRecord> {
    const all = await this.list();
    const def = validateDefinition(input, this.ctx, all);
    if (all.some((s) => s.id === def.id)) {
      throw new SegmataError('conflict', `segment "${def.id}" already exists (use "segments update ${def.id}")`);
    }
    const now = this.now();
    await this.transaction(async (tx) => {
      const { members, ...stored } = def;
      await repo.insert(tx, def.type === 'static' ? stored : def, now);
      if (def.type === 'static' && members && members.length > 0) {
        await checkContactsExist(tx, members);
        await changeStaticMembers(tx, def.id, members, 'add', now);
        this.ctx.membershipWritten?.(def.id);
      }
      await this.audit(tx, options, 'create', def.id, null, 1, now);
    });
    return this.get(def.id);
  }

  /**
   * Replace a segment's definition. `expectedVersion` (optimistic concurrency): the version the
   * edit was made on; if the segment was saved since, nothing changes and a conflict says so.
   */
  async update(id: string, input: unknown, options: ChangeOptions & { expectedVersion?: number } = {}): Promise<SegmentRecord> {
    const all = await this.list();
    const current = all.find((s) => s.id === id);
    if (!current) throw new SegmataError('not_found', `segment "${id}" does not exist`);
    // A description generated from the definition (a template's) follows the edit (templates/description.ts).
    const def = followDescription(current.definition, validateDefinition(input, this.ctx, all, id), descriptionReadings(this.ctx.registry(), all));
    if (def.type !== current.type) {
      throw new SegmataError('invalid_definition', `type: a ${current.type} segment cannot become ${def.type}; create a new segment`, [
        { path: 'type', message: `expected "${current.type}"` },
      ]);
    }
    if (def.type === 'static' && def.members) {
      throw new SegmataError('invalid_definition', 'members: change a static segment\'s members with add-members / remove-members', [
        { path: 'members', message: 'not allowed on update' },
      ]);
    }
    if (current.status === 'live') this.checkReferencesLive(def, all);
    const now = this.now();
    await this.transaction(async (tx) => {
      // Read again inside the transaction: another write may have committed since `list`.
      const [row] = await tx.all<{ version: number }>('SELECT version FROM segments WHERE id = $1', [id]);
      if (!row) throw new SegmataError('not_found', `segment "${id}" does not exist`);
      if (options.expectedVersion !== undefined && row.version !== options.expectedVersion) {
        throw new SegmataError('conflict', `segment "${id}" is at version ${row.version}, not ${options.expectedVersion}: it was saved meanwhile; reload it and apply the edit again`, [
          { path: 'version', message: `expected ${row.version}` },
        ]);
      }
      await repo.updateDefinition(tx, def, row.version + 1, now);
      if (current.status === 'live' && def.type !== 'static') {
        // Editing a live segment keeps it live and re-evaluates it at once.
        const updated = all.map((s) => (s.id === id ? { ...s, definition: def } : s));
        await this.evaluateInto(tx, updated, def, now, 'definition_edit');
        await this.cascade(tx, updated, id, now);
      }
      await this.audit(tx, options, 'update', id, row.version, row.version + 1, now);
    });
    return this.get(id);
  }

  private checkReferencesLive(def: SegmentDefinition, all: SegmentRecord[]): void {
    for (const ref of referencedSegments(def.query)) {
      const s = all.find((x) => x.id === ref);
      if (s && !isMaintained(s)) {
        throw new SegmataError('lifecycle', `segment "${def.id}" references "${ref}", which is ${s.status}; take "${ref}" live first`);
      }
    }
  }

  private async evaluateInto(tx: SqlRunner, all: SegmentRecord[], def: SegmentDefinition, now: Date, cause: ChangeCause) {
    const ctx = compileContext(this.ctx, all, now);
    const diff = await applyMembership(tx, def.id, compileSegment(def.query!, ctx), now, cause);
    this.ctx.membershipWritten?.(def.id);
    // The live path wakes each contact at its next time boundary; seed those set-based.
    if (dependenciesOf(def.query).timeDependent) await scheduleSegment(tx, def.id, compileNextChanges(def.query!, ctx));
    else await dropSegmentSchedule(tx, def.id);
    return diff;
  }

  /** Re-evaluate the live segments that (transitively) read `changedId`, parts before wholes. */
  private async cascade(tx: SqlRunner, all: SegmentRecord[], changedId: string, now: Date): Promise<void> {
    const affected = new Set<string>([changedId]);
    for (const s of dependencyOrder(all)) {
      if (s.id === changedId || s.status !== 'live' || s.type === 'static') continue;
      if (referencedSegments(s.definition.query).some((r) => affected.has(r))) {
        affected.add(s.id);
        await this.evaluateInto(tx, all, s.definition, now, 'refresh');
      }
    }
  }

  async goLive(id: string, options: ChangeOptions = {}): Promise<EvaluationResult> {
    const all = await this.list();
    const s = all.find((x) => x.id === id);
    if (!s) throw new SegmataError('not_found', `segment "${id}" does not exist`);
    if (s.status === 'live') throw new SegmataError('lifecycle', `segment "${id}" is already live`);
    const now = this.now();
    const started = performance.now();
    if (s.type === 'static') {
      await this.transaction(async (tx) => {
        await repo.setStatus(tx, id, 'live', now);
        await this.audit(tx, options, 'go_live', id, s.version, s.version, now);
      });
      return { segmentId: id, members: s.memberCount, entered: 0, exited: 0, ms: performance.now() - started };
    }
    // Re-validate: the schema or referenced segments may have changed since it was saved.
    validateDefinition(s.definition, this.ctx, all, id);
    this.checkReferencesLive(s.definition, all);
    try {
      const diff = await this.transaction(async (tx) => {
        const live = all.map((x) => (x.id === id ? { ...x, status: 'live' as const } : x));
        const d = await this.evaluateInto(tx, live, s.definition, now, 'go_live');
        await repo.setStatus(tx, id, 'live', now);
        await this.audit(tx, options, 'go_live', id, s.version, s.version, now);
        return d;
      });
      return { segmentId: id, ...diff, ms: performance.now() - started };
    } catch (e) {
      // Out of time or memory is no fault of the segment: nothing changed (the transaction
      // rolled back), it keeps its status, and the caller may try again (503).
      if (e instanceof SegmataError && (e.code === 'timeout' || e.code === 'unavailable')) throw e;
      const reason = e instanceof Error ? e.message : String(e);
      await this.setStatus(id, 'error', now, reason);
      throw new SegmataError('evaluation_failed', `segment "${id}" could not be evaluated: ${reason}`);
    }
  }

  async stop(id: string, options: ChangeOptions = {}): Promise<SegmentRecord> {
    const all = await this.list();
    const s = all.find((x) => x.id === id);
    if (!s) throw new SegmataError('not_found', `segment "${id}" does not exist`);
    if (s.status !== 'live') throw new SegmataError('lifecycle', `segment "${id}" is ${s.status}, not live`);
    const users = referrers(all, id).filter((r) => r.status === 'live');
    if (users.length > 0) {
      throw new SegmataError('lifecycle', `segment "${id}" is used by live segment(s) ${users.map((u) => `"${u.id}"`).join(', ')}; remove the reference or stop them first`);
    }
    // The last membership is kept (not maintained) so going live again records the difference.
    const now = this.now();
    await this.transaction(async (tx) => {
      await repo.setStatus(tx, id, 'stopped', now);
      await this.audit(tx, options, 'stop', id, s.version, s.version, now);
    });
    return this.get(id);
  }

  async delete(id: string, options: ChangeOptions = {}): Promise<void> {
    const all = await this.list();
    const s = all.find((x) => x.id === id);
    if (!s) throw new SegmataError('not_found', `segment "${id}" does not exist`);
    const users = referrers(all, id);
    if (users.length > 0) {
      throw new SegmataError('lifecycle', `segment "${id}" is referenced by ${users.map((u) => `"${u.id}" (${u.status})`).join(', ')}; remove the reference first`);
    }
    const now = this.now();
    await this.transaction(async (tx) => {
      await repo.delete(tx, id);
      await this.audit(tx, options, 'delete', id, s.version, null, now);
    });
  }

  /** Re-evaluate live segments now (all of them in dependency order, or one and its dependents). */
  async refresh(id?: string, options: ChangeOptions = {}): Promise<EvaluationResult[]> {
    const all = await this.list();
    const now = this.now();
    const targets = id
      ? [await this.get(id)]
      : dependencyOrder(all).filter((s) => s.status === 'live' && s.type !== 'static');
    const results: EvaluationResult[] = [];
    for (const s of targets) {
      if (s.status !== 'live') throw new SegmataError('lifecycle', `segment "${s.id}" is ${s.status}; only live segments are refreshed`);
      if (s.type === 'static') continue;
      const started = performance.now();
      const diff = await this.transaction(async (tx) => {
        const d = await this.evaluateInto(tx, all, s.definition, now, 'refresh');
        if (id) await this.cascade(tx, all, id, now);
        await this.audit(tx, options, 'refresh', s.id, s.version, s.version, now);
        return d;
      });
      results.push({ segmentId: s.id, ...diff, ms: performance.now() - started });
    }
    return results;
  }

  /**
   * Set-based re-evaluation of the given live segments (and, cascading, the live segments
   * built on them) as of `at`: how the live path applies a large backlog at once.
   */
  async reevaluate(ids: string[], at: Date, cause: ChangeCause): Promise<void> {
    if (ids.length === 0) return;
    const all = await this.list();
    const wanted = new Set(ids);
    await this.transaction(async (tx) => {
      for (const s of dependencyOrder(all)) {
        if (s.status !== 'live' || s.type === 'static') continue;
        const reads = referencedSegments(s.definition.query);
        if (wanted.has(s.id) || reads.some((r) => wanted.has(r))) {
          wanted.add(s.id);
          await this.evaluateInto(tx, all, s.definition, at, cause);
        }
      }
    });
  }

  /**
   * Member count of a definition without saving it, and each top-level block's count on its own.
   * Counted on `reads` (by default the store's read connections, so a long count never holds
   * up the writers; the API passes ones stopped at its deadline).
   */
  async estimate(input: unknown, reads: SqlRunner = this.ctx.store.reader()): Promise<Estimate> {
    const all = await this.list();
    const shape = parseDefinitionShape(input);
    const id = shape.id ?? idFromName(shape.name);
    // Estimating an edit of an existing segment must not trip over its own saved id.
    const def = validateDefinition({ ...shape, id }, this.ctx, all);
    const started = performance.now();
    if (def.type === 'static') {
      // As saving would: members that are no contact are refused, not counted.
      const members = [...new Set(def.members ?? [])];
      await checkContactsExist(reads, members);
      return { total: members.length, blocks: [], ms: performance.now() - started };
    }
    const compiled = compileCounts(def.query!, compileContext(this.ctx, all, this.now()));
    const [row] = await reads.all<Record<string, number>>(compiled.sql, compiled.params);
    return {
      total: row?.total ?? 0,
      blocks: def.query!.blocks.map((b, i) => ({ index: i, kind: b.kind, count: row?.[`b${i}`] ?? 0 })),
      ms: performance.now() - started,
    };
  }

  /**
   * SQL returning the member ids of a segment: the maintained membership when it is live,
   * stopped or static; a fresh evaluation for drafts (a preview).
   */
  async memberSource(id: string, reader: SqlRunner = this.ctx.store): Promise<{ sql: string; params: (string | number | boolean | null)[] }> {
    // `reader`: where the segment is read (a read connection: an HTTP page does not queue
    // behind the writers for it); the memberships are brought up to date first either way.
    await this.ctx.sync?.();
    const s = await repo.get(reader, id);
    if (hasStoredMembers(s)) {
      return { sql: 'SELECT contact_id AS id FROM memberships WHERE segment_id = $1', params: [id] };
    }
    return compileSegment(s.definition.query!, compileContext(this.ctx, await repo.list(reader), this.now()));
  }

  async changeMembers(id: string, ids: string[], mode: 'add' | 'remove', options: ChangeOptions = {}): Promise<number> {
    const all = await this.list();
    const s = all.find((x) => x.id === id);
    if (!s) throw new SegmataError('not_found', `segment "${id}" does not exist`);
    if (s.type !== 'static') throw new SegmataError('lifecycle', `segment "${id}" is ${s.type}; only static segments have hand-picked members`);
    const unique = [...new Set(ids)];
    const now = this.now();
    return this.transaction(async (tx) => {
      if (mode === 'add') await checkContactsExist(tx, unique);
      const n = await changeStaticMembers(tx, id, unique, mode, now);
      this.ctx.membershipWritten?.(id);
      await this.cascade(tx, all, id, now);
      if (n > 0) await this.audit(tx, options, mode === 'add' ? 'add_members' : 'remove_members', id, s.version, s.version, now);
      return n;
    });
  }
}
