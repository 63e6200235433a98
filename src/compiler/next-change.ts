import type { BehavioralBlock, Block, Comparison, Condition, Duration, Query } from '../definition/ast.js';
import { isComparison, isRelativeWindow } from '../definition/ast.js';
import { parseInstant } from '../definition/operators.js';
import { SegmataError } from '../errors.js';
import { TABLES } from '../schema/defaults.js';
import type { CompileContext, CompiledQuery } from './compile.js';
import { SegmentCompiler, durationMs } from './compile.js';

/**
 * When can a segment's verdict for a contact change with no data change, only time passing?
 * The candidate instants (SPEC §2 windows), all strictly after `now`:
 * - an interaction at t counted by a window `last d`: t (a future-dated one starts counting)
 *   and t + d (at that instant it is out); by a window `from_ago f, to_ago d`: t + d (in) and
 *   t + f (out); by a from/to window or none: t, if the window holds t;
 * - `in_last` / `not_in_last` d on a date(time) value a: a and a + d;
 * - `in_month "current"` on a value of month m: the next start of a month at which
 *   "month of now = m" flips (the start of month m, or of the month after it);
 * - segment blocks: none for maintained segments (they change through their own updates);
 *   draft/stopped segments are evaluated inline, so their query's candidates count.
 * Extra candidates only cost a re-evaluation; a missing one would be a missed change.
 *
 * The per-contact counterpart (src/engine/contact/next-change.ts) applies the same rules,
 * and a property test holds the two equal; the rules they share live here.
 */

/** Does this comparison's result depend on `now`? */
export function isTimeDependentComparison(c: Comparison): boolean {
  return c.op === 'in_last' || c.op === 'not_in_last' || (c.op === 'in_month' && c.value === 'current');
}

/** Does any comparison in this condition depend on `now`? */
export function isTimeDependentCondition(c: Condition): boolean {
  if (isComparison(c)) return isTimeDependentComparison(c);
  if ('all' in c) return c.all.some(isTimeDependentCondition);
  if ('any' in c) return c.any.some(isTimeDependentCondition);
  return isTimeDependentCondition(c.not);
}

/**
 * The first instant after `now` at which `in_month "current"` flips for a value in month
 * `month` (1-12): the start of next month if the value's month is this one (it leaves) or
 * the next one (it enters), else the next start of the value's month.
 */
export function monthChangeAt(month: number, now: Date): number {
  const current = now.getUTCMonth() + 1;
  const monthsAfterNext = (((month - current - 1) % 12) + 12) % 12;
  const ahead = month === current ? 0 : monthsAfterNext;
  // Date.UTC rolls month indexes past 11 into the following years.
  return Date.UTC(now.getUTCFullYear(), current + ahead, 1);
}

/**
 * Collects candidate expressions: one `due_at` expression over the contacts table (every
 * profile condition, joined once) and one select per behavioral block over interactions.
 */
class NextChangeCompiler {
  private readonly contactAlias = 'nc';
  private readonly contactJoins = new Map<string, string>();
  private readonly contactCandidates: string[] = [];
  private readonly interactionSelects: string[] = [];
  private readonly inlining: string[] = [];
  private aliasCounter = 0;
  private nowPlaceholder: string | undefined;

  constructor(
    private readonly ctx: CompileContext,
    private readonly sql: SegmentCompiler,
  ) {}

  /** `now`, bound once on first use (a statement must not carry unused parameters). */
  private get nowParam(): string {
    return (this.nowPlaceholder ??= this.instant(this.ctx.now.getTime()));
  }

  private instant(ms: number): string {
    return this.sql.param(new Date(ms).toISOString(), 'datetime');
  }

  /** `expr + d` as an exact span of milliseconds (no calendar arithmetic). */
  private plus(expr: string, d: Duration): string {
    return `(${expr} + CAST(${this.sql.param(`${durationMs(d)} milliseconds`, 'string')} AS INTERVAL))`;
  }

  blocks(blocks: Block[]): void {
    for (const b of blocks) {
      switch (b.kind) {
        case 'profile':
          this.contactCandidates.push(...this.condition(b.where, 'contact', this.contactAlias, this.contactJoins));
          break;
        case 'behavioral':
          this.behavioral(b);
          break;
        case 'segment':
          this.segment(b.segment);
          break;
        case 'group':
          this.blocks(b.blocks);
          break;
      }
    }
  }

  private segment(id: string): void {
    const source = this.ctx.segmentSource(id);
    if (source.kind === 'members') return;
    if (this.inlining.includes(id)) {
      throw new SegmataError('evaluation_failed', `segment references form a cycle: ${[...this.inlining, id].join(' → ')}`);
    }
    this.inlining.push(id);
    try {
      this.blocks(source.query.blocks);
    } finally {
      this.inlining.pop();
    }
  }

  /** Candidate expressions (NULL when none) of a condition's time-dependent comparisons. */
  private condition(c: Condition, start: 'contact' | 'interaction', rowAlias: string, joins: Map<string, string>): string[] {
    if (isComparison(c)) return isTimeDependentComparison(c) ? [this.comparison(c, start, rowAlias, joins)] : [];
    const children = 'all' in c ? c.all : 'any' in c ? c.any : [c.not];
    return children.flatMap((x) => this.condition(x, start, rowAlias, joins));
  }

  private comparison(c: Comparison, start: 'contact' | 'interaction', rowAlias: string, joins: Map<string, string>): string {
    const { expr, type } = this.sql.column(c, start, rowAlias, joins);
    if (type !== 'date' && type !== 'datetime') {
      throw new SegmataError('invalid_definition', `${c.op} needs a date or datetime attribute, "${c.attr}" is ${type}`);
    }
    const a = this.ctx.dialect.asInstant(expr, type);
    if (c.op === 'in_month') {
      const cases = Array.from({ length: 12 }, (_, i) => `WHEN ${i + 1} THEN ${this.instant(monthChangeAt(i + 1, this.ctx.now))}`);
      return `(CASE ${this.ctx.dialect.monthOf(a)} ${cases.join(' ')} END)`;
    }
    // a < a + d, so the earliest candidate after now is a if that is still ahead.
    const end = this.plus(a, c.value as Duration);
    return `(CASE WHEN ${a} > ${this.nowParam} THEN ${a} WHEN ${end} > ${this.nowParam} THEN ${end} END)`;
  }

  private behavioral(b: BehavioralBlock): void {
    const i = `ni${++this.aliasCounter}`;
    const t = `${i}.occurred_at`;
    const filters = [`${i}.type = ${this.sql.param(b.interaction, 'string')}`];
    const w = b.window;
    let inWindow: string; // t has a candidate from the window
    let due: string; // the earliest such candidate
    if (!w) {
      inWindow = `${t} > ${this.nowParam}`;
      due = t;
    } else if ('last' in w) {
      inWindow = `${t} > ${this.instant(this.ctx.now.getTime() - durationMs(w.last))}`;
      due = `CASE WHEN ${t} > ${this.nowParam} THEN ${t} ELSE ${this.plus(t, w.last)} END`;
    } else if (isRelativeWindow(w)) {
      // In (now - from_ago, now - to_ago] while now is in [t + to_ago, t + from_ago).
      const enters = this.plus(t, w.to_ago);
      inWindow = `${t} > ${this.instant(this.ctx.now.getTime() - durationMs(w.from_ago))}`;
      due = `CASE WHEN ${enters} > ${this.nowParam} THEN ${enters} ELSE ${this.plus(t, w.from_ago)} END`;
    } else {
      inWindow = `${t} > ${this.nowParam} AND ${t} >= ${this.instant(parseInstant(w.from)!)} AND ${t} <= ${this.instant(parseInstant(w.to)!)}`;
      due = t;
    }
    const whereCandidates = b.where ? this.condition(b.where, 'interaction', i, new Map()) : [];
    if (whereCandidates.length === 0) {
      // The common case: the filter decides once and for all, and prunes on the indexed column.
      if (b.where) filters.push(this.sql.condition(b.where, 'interaction', i, new Map()));
      filters.push(inWindow);
    } else {
      // The filter itself flips with time: every interaction of the type is a candidate.
      due = `least(CASE WHEN ${inWindow} THEN ${due} END, ${whereCandidates.join(', ')})`;
    }
    this.interactionSelects.push(
      `SELECT ${i}.contact_id AS contact_id, ${due} AS due_at FROM ${this.ctx.dialect.ident(TABLES.interaction)} AS ${i} WHERE ${filters.join(' AND ')}`,
    );
  }

  statement(): string {
    const d = this.ctx.dialect;
    const contacts = d.ident(TABLES.contact);
    const selects = [...this.interactionSelects];
    if (this.contactCandidates.length > 0) {
      const due = this.contactCandidates.length === 1 ? this.contactCandidates[0]! : `least(${this.contactCandidates.join(', ')})`;
      const joins = [...this.contactJoins.values()].join(' ');
      selects.push(`SELECT ${this.contactAlias}.id AS contact_id, ${due} AS due_at FROM ${contacts} AS ${this.contactAlias} ${joins}`);
    }
    if (selects.length === 0) {
      return `SELECT CAST(NULL AS ${d.columnType('string')}) AS contact_id, CAST(NULL AS ${d.columnType('datetime')}) AS due_at WHERE 1 = 0`;
    }
    // Interactions of unknown contacts create no schedule; NULL candidates (none) drop out of min.
    return (
      `SELECT u.contact_id AS contact_id, min(u.due_at) AS due_at FROM (${selects.join(' UNION ALL ')}) AS u ` +
      `WHERE u.contact_id IN (SELECT id FROM ${contacts}) GROUP BY u.contact_id HAVING min(u.due_at) IS NOT NULL`
    );
  }
}

/**
 * One statement giving, for every contact whose verdict can change by time alone, the
 * earliest such instant after `ctx.now`: rows (contact_id, due_at). Used when a segment
 * goes live (or its definition changes) to fill the schedule for all contacts at once.
 */
export function compileNextChanges(query: Query, ctx: CompileContext): CompiledQuery {
  const sql = new SegmentCompiler(ctx);
  const compiler = new NextChangeCompiler(ctx, sql);
  compiler.blocks(query.blocks);
  return { sql: compiler.statement(), params: sql.params };
}
