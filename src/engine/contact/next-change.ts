import type { BehavioralBlock, Block, Condition, Duration, Query } from '../../definition/ast.js';
import { isComparison, isRelativeWindow } from '../../definition/ast.js';
import { TIME_UNIT_MS, parseInstant } from '../../definition/operators.js';
import { isTimeDependentComparison, isTimeDependentCondition, monthChangeAt } from '../../compiler/next-change.js';
import { SegmataError } from '../../errors.js';
import type { SchemaRegistry } from '../../schema/registry.js';
import type { RecordKind } from '../../schema/types.js';
import { ContactEvaluator, contactExists, interactionsOf, valueAt, type ContactData, type RecordRow } from './evaluate.js';
import type { AttrValue } from './trace.js';

/**
 * The next instant after `now` at which a contact's verdict for a query can change with no
 * data change — the live path schedules the contact's re-evaluation then. Same candidate
 * rules as the set-based compileNextChanges (src/compiler/next-change.ts, where they are
 * spelled out); the property tests hold this one sound against ContactEvaluator and equal
 * to the SQL.
 */

export interface NextChangeEnv {
  registry: SchemaRegistry;
  now: Date;
  /** The query of a segment read inline (draft, stopped); undefined for maintained segments. */
  inlineQuery(id: string): Query | undefined;
}

const durationMs = (d: Duration): number => d.amount * TIME_UNIT_MS[d.unit];

function toMs(v: AttrValue): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') return parseInstant(v);
  return undefined;
}

/** The earliest instant after `env.now` at which the verdict may change; undefined if never by time alone. */
export function nextChangeAt(query: Query, data: ContactData, env: NextChangeEnv): Date | undefined {
  const ms = nextChangeMs(query, data, env);
  return ms === Infinity ? undefined : new Date(ms);
}

/** `nextChangeAt` as epoch ms, Infinity for never (the live path asks it millions of times). */
export function nextChangeMs(query: Query, data: ContactData, env: NextChangeEnv): number {
  // A contact that does not exist is never a member, whatever the time.
  if (!contactExists(data)) return Infinity;
  const finder = new CandidateFinder(env, data);
  finder.blocks(query.blocks);
  return finder.earliest;
}

/**
 * Can time alone change this query's verdict for some contact? Behavioral blocks always can
 * (a future-dated interaction may arrive and start counting); profile conditions when they
 * use `in_last`, `not_in_last` or `in_month "current"`; inline segments through their query.
 */
export function isTimeDependent(query: Query, inlineQuery: (id: string) => Query | undefined): boolean {
  const visiting: string[] = [];
  const blocks = (bs: Block[]): boolean =>
    bs.some((b) => {
      switch (b.kind) {
        case 'profile':
          return isTimeDependentCondition(b.where);
        case 'behavioral':
          return true;
        case 'group':
          return blocks(b.blocks);
        case 'segment': {
          const q = inlineQuery(b.segment);
          if (!q || visiting.includes(b.segment)) return false;
          visiting.push(b.segment);
          try {
            return blocks(q.blocks);
          } finally {
            visiting.pop();
          }
        }
      }
    });
  return blocks(query.blocks);
}

// Module-level: a closure made per call costs an allocation (and tsx's name helper) each time.
const NOT_A_MEMBER = (): boolean => false;

class CandidateFinder {
  earliest = Infinity;
  private readonly now: number;
  private readonly inlining: string[] = [];
  /** Decides time-independent interaction filters, exactly as evaluation does (made when a filter is met). */
  private evaluator: ContactEvaluator | undefined;

  constructor(
    private readonly env: NextChangeEnv,
    private readonly data: ContactData,
  ) {
    this.now = env.now.getTime();
  }

  private offer(ms: number): void {
    if (ms > this.now && ms < this.earliest) this.earliest = ms;
  }

  blocks(blocks: Block[]): void {
    for (const b of blocks) {
      switch (b.kind) {
        case 'profile':
          this.condition(b.where, 'contact', this.data.contact!, this.data.related);
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
    const query = this.env.inlineQuery(id);
    if (!query) return;
    if (this.inlining.includes(id)) {
      throw new SegmataError('evaluation_failed', `segment references form a cycle: ${[...this.inlining, id].join(' → ')}`);
    }
    this.inlining.push(id);
    try {
      this.blocks(query.blocks);
    } finally {
      this.inlining.pop();
    }
  }

  private behavioral(b: BehavioralBlock): void {
    const w = b.window;
    const lastMs = w && 'last' in w ? durationMs(w.last) : undefined;
    const range = w && 'from' in w ? [parseInstant(w.from)!, parseInstant(w.to)!] : undefined;
    // A window relative to now holds t while now is in [t + to_ago, t + from_ago): those two only.
    const ago = w && isRelativeWindow(w) ? [durationMs(w.to_ago), durationMs(w.from_ago)] : undefined;
    const offerFor = (t: number): void => {
      if (ago) {
        this.offer(t + ago[0]!);
        this.offer(t + ago[1]!);
        return;
      }
      if (range && (t < range[0]! || t > range[1]!)) return;
      // Counted from t on (a future-dated interaction starts counting when it happens) …
      this.offer(t);
      // … and, in a window `last d`, out again from t + d.
      if (lastMs !== undefined) this.offer(t + lastMs);
    };
    if (!b.where && this.data.timesOf) {
      // No filter: the instants are all it takes (the resident state gives them without rows).
      for (const t of this.data.timesOf(b.interaction)) offerFor(t);
      return;
    }
    const timedWhere = b.where !== undefined && isTimeDependentCondition(b.where);
    for (const i of interactionsOf(this.data, b.interaction)) {
      if (i.type !== b.interaction) continue;
      if (b.where) {
        // A filter that flips with time makes every interaction of the type a candidate.
        if (timedWhere) this.condition(b.where, 'interaction', i, {});
        else if (!(this.evaluator ??= new ContactEvaluator({ registry: this.env.registry, now: this.env.now, segmentMember: NOT_A_MEMBER })).holds(b.where, 'interaction', i, {})) continue;
      }
      offerFor(i.occurred_at.getTime());
    }
  }

  private condition(c: Condition, start: RecordKind, row: RecordRow, related: Record<string, RecordRow | undefined>): void {
    if (!isComparison(c)) {
      const children = 'all' in c ? c.all : 'any' in c ? c.any : [c.not];
      for (const x of children) this.condition(x, start, row, related);
      return;
    }
    if (!isTimeDependentComparison(c)) return;
    const resolved = this.env.registry.resolve(start, c.attr);
    if (typeof resolved === 'string') throw new SegmataError('invalid_definition', resolved, [{ path: 'attr', message: resolved }]);
    const a = toMs(valueAt(resolved, row, related));
    // A missing value fails the comparison at every instant.
    if (a === undefined) return;
    if (c.op === 'in_month') {
      this.offer(monthChangeAt(new Date(a).getUTCMonth() + 1, this.env.now));
      return;
    }
    // Inside (now - d, now] exactly while now is in [a, a + d).
    this.offer(a);
    this.offer(a + durationMs(c.value as Duration));
  }
}
