/**
 * The segment definition: a discriminated union of plain, JSON-serialisable data.
 * It is exactly the SPEC §2 JSON; the compiler, the in-memory evaluator, explain and
 * the UI all read this one shape.
 */

export type SegmentType = 'dynamic' | 'static' | 'compound';

export type Relation = 'or' | 'and_also' | 'but_not';

export type TimeUnit = 'minutes' | 'hours' | 'days' | 'weeks';

export interface Duration {
  amount: number;
  unit: TimeUnit;
}

export type ValueOperator = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte';
export type ListOperator = 'in' | 'not_in';
export type TextOperator = 'contains' | 'not_contains' | 'starts_with' | 'ends_with';
export type EmptinessOperator = 'is_empty' | 'is_not_empty';
export type InstantOperator = 'before' | 'after';
export type RelativeOperator = 'in_last' | 'not_in_last';
/** Extension (documented in docs/definition.md): month of a date, 1-12 or "current". */
export type MonthOperator = 'in_month';

export type Operator =
  | ValueOperator
  | 'between'
  | ListOperator
  | TextOperator
  | EmptinessOperator
  | InstantOperator
  | RelativeOperator
  | MonthOperator;

export type Scalar = string | number | boolean;

export interface Comparison {
  /** Attribute path from the record, e.g. `state` or `account.industry`. */
  attr: string;
  op: Operator;
  /** Shape depends on `op`: scalar, `[lo, hi]`, array, Duration, month, or absent. */
  value?: Scalar | Scalar[] | Duration;
}

export interface AllCondition {
  all: Condition[];
}
export interface AnyCondition {
  any: Condition[];
}
export interface NotCondition {
  not: Condition;
}

export type Condition = Comparison | AllCondition | AnyCondition | NotCondition;

export type CountOperator = 'gte' | 'gt' | 'eq' | 'lte' | 'lt';

export interface Count {
  op: CountOperator;
  value: number;
}

/** The last d; a fixed range [from, to]; or (SPEC §5.5) relative to now: (now - from_ago, now - to_ago]. */
export type Window = { last: Duration } | { from: string; to: string } | RelativeWindow;

export interface RelativeWindow {
  /** The far edge (exclusive): longer than `to_ago`. */
  from_ago: Duration;
  /** The near edge (inclusive). */
  to_ago: Duration;
}

export function isRelativeWindow(w: Window): w is RelativeWindow {
  return 'from_ago' in w;
}

interface BlockBase {
  /** Absent on the first block of a list; required on every later one. */
  relation?: Relation;
}

export interface ProfileBlock extends BlockBase {
  kind: 'profile';
  where: Condition;
}

export interface BehavioralBlock extends BlockBase {
  kind: 'behavioral';
  interaction: string;
  where?: Condition;
  window?: Window;
  count?: Count;
}

export interface SegmentBlock extends BlockBase {
  kind: 'segment';
  segment: string;
}

export interface GroupBlock extends BlockBase {
  kind: 'group';
  blocks: Block[];
}

export type Block = ProfileBlock | BehavioralBlock | SegmentBlock | GroupBlock;

export interface Query {
  blocks: Block[];
}

export interface SegmentDefinition {
  id: string;
  name: string;
  description?: string;
  type: SegmentType;
  query?: Query;
  /** Static segments only: the initial members (contact ids). */
  members?: string[];
}

export const DEFAULT_COUNT: Count = { op: 'gte', value: 1 };

export function isComparison(c: Condition): c is Comparison {
  return 'attr' in c;
}

/** Does a count condition hold for `n` interactions? */
export function countHolds(count: Count, n: number): boolean {
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

/** A count that admits zero includes contacts with no matching interaction at all. */
export function countAdmitsZero(count: Count): boolean {
  return countHolds(count, 0);
}

/** Every segment id a query reads, in order, without duplicates. */
export function referencedSegments(query: Query | undefined): string[] {
  const out = new Set<string>();
  const visit = (blocks: Block[]): void => {
    for (const b of blocks) {
      if (b.kind === 'segment') out.add(b.segment);
      else if (b.kind === 'group') visit(b.blocks);
    }
  };
  if (query) visit(query.blocks);
  return [...out];
}
