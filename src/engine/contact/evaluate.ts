import type { BehavioralBlock, Block, Comparison, Condition, Duration, Query, Relation, Scalar } from '../../definition/ast.js';
import { DEFAULT_COUNT, countHolds, isComparison, isRelativeWindow } from '../../definition/ast.js';
import { TIME_UNIT_MS, parseInstant } from '../../definition/operators.js';
import type { SchemaRegistry } from '../../schema/registry.js';
import type { AttributeType, RecordKind } from '../../schema/types.js';
import type { AttrValue, BlockTrace, ComparisonTrace, ConditionTrace } from './trace.js';

/**
 * The per-contact evaluator: the same AST as the SQL compiler, evaluated in memory for one
 * contact, with a trace of every decision. Explain uses the trace; the live path (issue 3)
 * feeds it micro-batches. It must agree with the SQL compiler — a property test checks that.
 */

export type RecordRow = Record<string, AttrValue>;

export interface InteractionRow extends RecordRow {
  type: string;
  occurred_at: Date;
}

export interface ContactData {
  /** The contact's attributes, or undefined if no such contact exists. */
  contact: RecordRow | undefined;
  /** Related records by relation name (`account`); undefined when the reference dangles. */
  related: Record<string, RecordRow | undefined>;
  interactions: InteractionRow[];
  /** The interactions of one type, when the holder can give them without the others (the resident state). */
  ofType?(type: string): readonly InteractionRow[];
  /**
   * The instants (epoch ms) of the interactions of one type, when the holder can give them
   * without building rows (the resident state): all a behavioral block with no filter reads.
   */
  timesOf?(type: string): readonly number[];
  /** Whether the contact exists, when the holder can tell without building its row (the resident state). */
  exists?(): boolean;
  /**
   * Drop the rows built for evaluations (the resident state builds them on demand): a batch
   * keeps its contacts until it commits, and 100,000 contacts' rows kept that long are work
   * for the garbage collector.
   */
  release?(): void;
}

/** Does the contact exist? Asked without building its attributes where the holder allows. */
export function contactExists(data: ContactData): boolean {
  return data.exists ? data.exists() : data.contact !== undefined;
}

/** The interactions a behavioral block of `type` reads. */
export function interactionsOf(data: ContactData, type: string): readonly InteractionRow[] {
  return data.ofType ? data.ofType(type) : data.interactions;
}

export interface EvaluationEnv {
  registry: SchemaRegistry;
  now: Date;
  /** Is the contact a member of segment `id` (stored membership or inline evaluation)? */
  segmentMember(id: string): boolean;
}


export interface ContactVerdict {
  member: boolean;
  blocks: BlockTrace[];
}

const isTemporal = (t: AttributeType): t is 'date' | 'datetime' => t === 'date' || t === 'datetime';

function toMs(v: AttrValue): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') return parseInstant(v);
  return undefined;
}

function durationMs(d: Duration): number {
  return d.amount * TIME_UNIT_MS[d.unit];
}

type Resolved = Exclude<ReturnType<SchemaRegistry['resolve']>, string>;
/** Attribute paths resolved once per registry and comparison (the live path evaluates the same conditions millions of times). */
const resolvedPaths = new WeakMap<SchemaRegistry, WeakMap<Comparison, Resolved>>();

function resolvePath(registry: SchemaRegistry, start: RecordKind, c: Comparison): Resolved {
  let byComparison = resolvedPaths.get(registry);
  if (!byComparison) resolvedPaths.set(registry, (byComparison = new WeakMap()));
  let r = byComparison.get(c);
  if (!r) {
    const resolved = registry.resolve(start, c.attr);
    if (typeof resolved === 'string') throw new Error(resolved);
    byComparison.set(c, (r = resolved));
  }
  return r;
}

/** The value a resolved attribute path reads: on the row itself, or on a related record. */
export function valueAt(resolved: Resolved, row: RecordRow, related: Record<string, RecordRow | undefined>): AttrValue {
  let source: RecordRow | undefined = row;
  for (const hop of resolved.hops) source = source ? related[hop.name] : undefined;
  return source ? source[resolved.attribute.name] : undefined;
}

/** A block's relation to the result so far (the first block has none; `or` by default). */
function relationOf(b: Block, index: number): Relation | undefined {
  return index === 0 ? undefined : (b.relation ?? 'or');
}

/** The result after a block: its verdict joined to the result so far by its relation. */
function combine(running: boolean, relation: Relation | undefined, matched: boolean): boolean {
  if (relation === undefined) return matched;
  if (relation === 'or') return running || matched;
  if (relation === 'and_also') return running && matched;
  return running && !matched;
}

export class ContactEvaluator {
  constructor(private readonly env: EvaluationEnv) {}

  evaluate(query: Query, data: ContactData): ContactVerdict {
    if (!data.contact) return { member: false, blocks: [] };
    const blocks = this.blocks(query.blocks, data);
    return { member: blocks.length > 0 && blocks[blocks.length - 1]!.running, blocks };
  }

  /** The verdict alone, with no trace: what the live path needs, without the allocations. */
  isMember(query: Query, data: ContactData): boolean {
    return contactExists(data) && this.blocksHold(query.blocks, data);
  }

  private blocksHold(blocks: Block[], data: ContactData): boolean {
    let running = false;
    for (let index = 0; index < blocks.length; index++) {
      const b = blocks[index]!;
      const relation = relationOf(b, index);
      // Short-circuits: the block's own verdict cannot change the result.
      if (relation === 'or' && running) continue;
      if ((relation === 'and_also' || relation === 'but_not') && !running) continue;
      running = combine(running, relation, this.blockHolds(b, data));
    }
    return running;
  }

  private blockHolds(b: Block, data: ContactData): boolean {
    switch (b.kind) {
      case 'profile':
        return this.holds(b.where, 'contact', data.contact!, data.related);
      case 'behavioral':
        return countHolds(b.count ?? DEFAULT_COUNT, this.countMatching(b, data));
      case 'segment':
        return this.env.segmentMember(b.segment);
      case 'group':
        return this.blocksHold(b.blocks, data);
    }
  }

  /** A condition's result, with no trace. */
  holds(c: Condition, start: RecordKind, row: RecordRow, related: Record<string, RecordRow | undefined>): boolean {
    if (isComparison(c)) {
      const resolved = resolvePath(this.env.registry, start, c);
      return this.compare(c, resolved.attribute.type, valueAt(resolved, row, related) ?? null);
    }
    if ('all' in c) return c.all.every((x) => this.holds(x, start, row, related));
    if ('any' in c) return c.any.some((x) => this.holds(x, start, row, related));
    return !this.holds(c.not, start, row, related);
  }

  private blocks(blocks: Block[], data: ContactData): BlockTrace[] {
    let running = false;
    return blocks.map((b, index) => {
      const trace = this.block(b, index, data);
      const relation = relationOf(b, index);
      running = combine(running, relation, trace.matched);
      return { ...trace, running, ...(relation ? { relation } : {}) };
    });
  }

  private block(b: Block, index: number, data: ContactData): BlockTrace {
    switch (b.kind) {
      case 'profile': {
        const condition = this.condition(b.where, 'contact', data.contact!, data.related);
        return { index, kind: b.kind, matched: condition.result, running: false, condition };
      }
      case 'behavioral': {
        const count = this.countMatching(b, data);
        return { index, kind: b.kind, matched: countHolds(b.count ?? DEFAULT_COUNT, count), running: false, count };
      }
      case 'segment':
        return { index, kind: b.kind, matched: this.env.segmentMember(b.segment), running: false };
      case 'group': {
        const children = this.blocks(b.blocks, data);
        const matched = children.length > 0 && children[children.length - 1]!.running;
        return { index, kind: b.kind, matched, running: false, children };
      }
    }
  }

  private countMatching(b: BehavioralBlock, data: ContactData): number {
    const now = this.env.now.getTime();
    // The window (lo, or [lo when not exclusive) … hi], and never past now.
    const w = b.window;
    let lo = -Infinity;
    let exclusive = false;
    let hi = Infinity;
    if (w && 'last' in w) {
      lo = now - durationMs(w.last);
      exclusive = true;
    } else if (w && isRelativeWindow(w)) {
      lo = now - durationMs(w.from_ago);
      exclusive = true;
      hi = now - durationMs(w.to_ago);
    } else if (w) {
      lo = parseInstant(w.from)!;
      hi = parseInstant(w.to)!;
    }
    if (hi > now) hi = now;
    let n = 0;
    if (!b.where && data.timesOf) {
      // No filter reads the interactions' properties: their instants are all it takes.
      for (const t of data.timesOf(b.interaction)) if ((exclusive ? t > lo : t >= lo) && t <= hi) n++;
      return n;
    }
    for (const i of interactionsOf(data, b.interaction)) {
      if (i.type !== b.interaction) continue;
      const t = i.occurred_at.getTime();
      if (!(exclusive ? t > lo : t >= lo) || t > hi) continue;
      if (b.where && !this.holds(b.where, 'interaction', i, {})) continue;
      n++;
    }
    return n;
  }

  condition(c: Condition, start: RecordKind, row: RecordRow, related: Record<string, RecordRow | undefined>): ConditionTrace {
    if (isComparison(c)) return this.comparison(c, start, row, related);
    if ('all' in c) {
      const children = c.all.map((x) => this.condition(x, start, row, related));
      return { kind: 'all', result: children.every((x) => x.result), children };
    }
    if ('any' in c) {
      const children = c.any.map((x) => this.condition(x, start, row, related));
      return { kind: 'any', result: children.some((x) => x.result), children };
    }
    const child = this.condition(c.not, start, row, related);
    return { kind: 'not', result: !child.result, children: [child] };
  }

  private comparison(c: Comparison, start: RecordKind, row: RecordRow, related: Record<string, RecordRow | undefined>): ComparisonTrace {
    const resolved = resolvePath(this.env.registry, start, c);
    const actual = valueAt(resolved, row, related);
    const result = this.compare(c, resolved.attribute.type, actual ?? null);
    return { kind: 'comparison', attr: c.attr, op: c.op, ...(c.value !== undefined ? { value: c.value } : {}), actual: actual ?? null, result };
  }

  private compare(c: Comparison, type: AttributeType, actual: AttrValue): boolean {
    if (c.op === 'is_empty') return actual === null || actual === undefined || actual === '';
    if (c.op === 'is_not_empty') return !(actual === null || actual === undefined || actual === '');
    if (actual === null || actual === undefined) return false;
    const now = this.env.now.getTime();
    if (isTemporal(type)) {
      const a = toMs(actual);
      if (a === undefined) return false;
      const p = (v: unknown): number => parseInstant(String(v))!;
      switch (c.op) {
        case 'in_last':
        case 'not_in_last': {
          const inside = a > now - durationMs(c.value as Duration) && a <= now;
          return c.op === 'in_last' ? inside : !inside;
        }
        case 'in_month': {
          const month = c.value === 'current' ? this.env.now.getUTCMonth() + 1 : Number(c.value);
          return new Date(a).getUTCMonth() + 1 === month;
        }
        case 'between': {
          const [lo, hi] = c.value as [Scalar, Scalar];
          return a >= p(lo) && a <= p(hi);
        }
        default:
          return ordered(c.op, a, p(c.value));
      }
    }
    const v = c.value;
    switch (c.op) {
      case 'in':
        return (v as Scalar[]).some((x) => x === actual);
      case 'not_in':
        return !(v as Scalar[]).some((x) => x === actual);
      case 'between': {
        const [lo, hi] = v as [Scalar, Scalar];
        return ordered('gte', actual as Scalar, lo) && ordered('lte', actual as Scalar, hi);
      }
      case 'contains':
        return String(actual).toLowerCase().includes(String(v).toLowerCase());
      case 'not_contains':
        return !String(actual).toLowerCase().includes(String(v).toLowerCase());
      case 'starts_with':
        return String(actual).toLowerCase().startsWith(String(v).toLowerCase());
      case 'ends_with':
        return String(actual).toLowerCase().endsWith(String(v).toLowerCase());
      default:
        return ordered(c.op, actual as Scalar, v as Scalar);
    }
  }
}

function ordered(op: string, a: Scalar, b: Scalar): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'lt':
    case 'before':
      return a < b;
    case 'lte':
      return a <= b;
    case 'gt':
    case 'after':
      return a > b;
    case 'gte':
      return a >= b;
    default:
      return false;
  }
}
