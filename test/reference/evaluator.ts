import type { Block, BehavioralBlock, Comparison, Condition, Count, Duration, Query, Scalar, Window } from '../../src/definition/ast.js';
import { TIME_UNIT_MS, parseInstant } from '../../src/definition/operators.js';
import { DEFAULT_ATTRIBUTES } from '../../src/schema/defaults.js';
import type { AttributeType } from '../../src/schema/types.js';

/**
 * A plain in-memory evaluator of segment queries, written for the tests straight from
 * SPEC §2. It shares nothing with the SQL compiler but the AST types and the ISO parser:
 * the differential test holds the two against each other.
 *
 * Deliberately naive: arrays and loops, every rule spelled out where it applies.
 */

export type RefValue = string | number | boolean | null | undefined;
export type RefRecord = Record<string, RefValue>;

export interface ReferenceData {
  contacts: readonly RefRecord[];
  accounts: readonly RefRecord[];
  interactions: readonly RefRecord[];
}

/** How a referenced segment is read: its stored members, or (draft) its query inline. */
export type ReferencedSegment = { members: readonly string[] } | { query: Query };

export interface ReferenceContext {
  /** The evaluation instant. */
  now: Date;
  /** Other segments by id, for `segment` blocks. */
  segments?: Readonly<Record<string, ReferencedSegment>>;
  /** Attribute types (defaults to the default schema). */
  attributeType?: (kind: RecordKindRef, name: string) => AttributeType | undefined;
}

type RecordKindRef = 'contact' | 'account' | 'interaction';

/** The only many-to-one hop a contact condition can take in the default schema. */
const HOPS: Record<string, { from: RecordKindRef; via: string; to: RecordKindRef } | undefined> = {
  account: { from: 'contact', via: 'account_id', to: 'account' },
};

function defaultAttributeType(kind: RecordKindRef, name: string): AttributeType | undefined {
  return DEFAULT_ATTRIBUTES.find((a) => a.entity === kind && a.name === name)?.type;
}

class Reference {
  private readonly nowMs: number;
  private readonly typeOf: (kind: RecordKindRef, name: string) => AttributeType | undefined;

  constructor(
    private readonly data: ReferenceData,
    private readonly ctx: ReferenceContext,
  ) {
    this.nowMs = ctx.now.getTime();
    this.typeOf = ctx.attributeType ?? defaultAttributeType;
  }

  blocks(blocks: readonly Block[]): Set<string> {
    let result = new Set<string>();
    blocks.forEach((b, i) => {
      const next = this.block(b);
      if (i === 0) {
        result = next;
        return;
      }
      switch (b.relation) {
        case 'and_also':
          result = new Set([...result].filter((id) => next.has(id)));
          break;
        case 'but_not':
          result = new Set([...result].filter((id) => !next.has(id)));
          break;
        default:
          result = new Set([...result, ...next]);
      }
    });
    return result;
  }

  block(b: Block): Set<string> {
    switch (b.kind) {
      case 'profile':
        return new Set(this.data.contacts.filter((c) => this.holds(b.where, c, 'contact')).map((c) => String(c.id)));
      case 'behavioral':
        return this.behavioral(b);
      case 'group':
        return this.blocks(b.blocks);
      case 'segment': {
        const s = this.ctx.segments?.[b.segment];
        if (!s) throw new Error(`reference: segment "${b.segment}" not given`);
        return 'members' in s ? new Set(s.members) : this.blocks(s.query.blocks);
      }
    }
  }

  private behavioral(b: BehavioralBlock): Set<string> {
    const perContact = new Map<string, number>();
    for (const i of this.data.interactions) {
      if (i.type !== b.interaction) continue;
      const at = instant(i.occurred_at, 'datetime');
      if (at === undefined || at > this.nowMs) continue; // the future is never counted
      if (b.window && !this.inWindow(at, b.window)) continue;
      if (b.where && !this.holds(b.where, i, 'interaction')) continue;
      const id = String(i.contact_id);
      perContact.set(id, (perContact.get(id) ?? 0) + 1);
    }
    const count = b.count ?? { op: 'gte', value: 1 };
    // Members are contacts; a contact without interactions has a count of 0.
    return new Set(
      this.data.contacts.map((c) => String(c.id)).filter((id) => countMatches(count, perContact.get(id) ?? 0)),
    );
  }

  private inWindow(at: number, w: Window): boolean {
    if ('last' in w) return at > this.nowMs - durationMs(w.last) && at <= this.nowMs;
    // SPEC §5.5: (now - from_ago, now - to_ago].
    if ('from_ago' in w) return at > this.nowMs - durationMs(w.from_ago) && at <= this.nowMs - durationMs(w.to_ago);
    return at >= parseInstant(w.from)! && at <= parseInstant(w.to)!;
  }

  holds(c: Condition, rec: RefRecord, kind: RecordKindRef): boolean {
    if ('all' in c) return c.all.every((x) => this.holds(x, rec, kind));
    if ('any' in c) return c.any.some((x) => this.holds(x, rec, kind));
    if ('not' in c) return !this.holds(c.not, rec, kind);
    return this.compare(c, rec, kind);
  }

  /** Follow `account.industry`-style paths; a dangling relation yields null. */
  private lookup(rec: RefRecord, kind: RecordKindRef, path: string): { value: RefValue; type: AttributeType } {
    const parts = path.split('.');
    let current: RefRecord | undefined = rec;
    let k = kind;
    for (const hop of parts.slice(0, -1)) {
      const h = HOPS[hop];
      if (!h || h.from !== k) throw new Error(`reference: "${hop}" is not a relation of ${k}`);
      const ref: RefValue = current?.[h.via];
      current = ref == null ? undefined : this.related(h.to, String(ref));
      k = h.to;
    }
    const name = parts[parts.length - 1]!;
    const type = this.typeOf(k, name);
    if (!type) throw new Error(`reference: unknown attribute ${k}.${name}`);
    return { value: current?.[name], type };
  }

  private related(kind: RecordKindRef, id: string): RefRecord | undefined {
    if (kind !== 'account') throw new Error(`reference: no table for ${kind}`);
    return this.data.accounts.find((a) => a.id === id);
  }

  private compare(c: Comparison, rec: RefRecord, kind: RecordKindRef): boolean {
    const { value, type } = this.lookup(rec, kind, c.attr);
    const isNull = value === null || value === undefined;
    const empty = isNull || (type === 'string' && value === '');
    if (c.op === 'is_empty') return empty;
    if (c.op === 'is_not_empty') return !empty;
    if (isNull) return false; // null semantics: every other comparison is false

    const temporal = type === 'date' || type === 'datetime';
    // Everything compared as a number (instants, numbers), a string or a boolean.
    const x = temporal ? instant(value, type)! : value;
    const arg = (v: Scalar): Scalar => (temporal ? parseInstant(String(v))! : v);
    const v = c.value;

    switch (c.op) {
      case 'eq':
        return x === arg(v as Scalar);
      case 'ne':
        return x !== arg(v as Scalar);
      case 'lt':
      case 'before':
        return x < arg(v as Scalar);
      case 'lte':
        return x <= arg(v as Scalar);
      case 'gt':
      case 'after':
        return x > arg(v as Scalar);
      case 'gte':
        return x >= arg(v as Scalar);
      case 'between': {
        const [lo, hi] = v as [Scalar, Scalar];
        return x >= arg(lo) && x <= arg(hi);
      }
      case 'in':
        return (v as Scalar[]).some((y) => x === arg(y));
      case 'not_in':
        return !(v as Scalar[]).some((y) => x === arg(y));
      case 'contains':
        return lower(x).includes(lower(v));
      case 'not_contains':
        return !lower(x).includes(lower(v));
      case 'starts_with':
        return lower(x).startsWith(lower(v));
      case 'ends_with':
        return lower(x).endsWith(lower(v));
      case 'in_last':
      case 'not_in_last': {
        const t = x as number;
        const inside = t > this.nowMs - durationMs(v as Duration) && t <= this.nowMs;
        return c.op === 'in_last' ? inside : !inside;
      }
      case 'in_month': {
        const month = v === 'current' ? new Date(this.nowMs).getUTCMonth() + 1 : Number(v);
        return new Date(x as number).getUTCMonth() + 1 === month;
      }
    }
  }
}

const lower = (s: unknown): string => String(s).toLowerCase();

const durationMs = (d: Duration): number => d.amount * TIME_UNIT_MS[d.unit];

/** A date value is its midnight UTC; a datetime is its instant. */
function instant(v: RefValue, type: 'date' | 'datetime'): number | undefined {
  if (typeof v !== 'string') return undefined;
  return parseInstant(type === 'date' ? v.slice(0, 10) : v);
}

function countMatches(count: Count, n: number): boolean {
  switch (count.op) {
    case 'gte':
      return n >= count.value;
    case 'gt':
      return n > count.value;
    case 'eq':
      return n === count.value;
    case 'lte':
      return n <= count.value;
    case 'lt':
      return n < count.value;
  }
}

/** The member ids of a query, as of `ctx.now`. */
export function referenceMembers(query: Query, data: ReferenceData, ctx: ReferenceContext): Set<string> {
  return new Reference(data, ctx).blocks(query.blocks);
}

/** Each top-level block's members on its own (what `estimate` counts per block). */
export function referenceBlockMembers(query: Query, data: ReferenceData, ctx: ReferenceContext): Set<string>[] {
  const r = new Reference(data, ctx);
  return query.blocks.map((b) => r.block(b));
}

export const sorted = (ids: Iterable<string>): string[] => [...ids].sort();
