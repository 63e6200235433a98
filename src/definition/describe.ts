import type { Block, Comparison, Condition, Count, Duration, Operator, Relation, Window } from './ast.js';
import { DEFAULT_COUNT, isComparison } from './ast.js';

/** Plain-words rendering of a definition, for explain, listings and the designer summary. */

export const OP_WORDS: Record<Operator, string> = {
  eq: 'is',
  ne: 'is not',
  lt: 'is less than',
  lte: 'is at most',
  gt: 'is greater than',
  gte: 'is at least',
  between: 'is between',
  in: 'is one of',
  not_in: 'is none of',
  contains: 'contains',
  not_contains: 'does not contain',
  starts_with: 'starts with',
  ends_with: 'ends with',
  is_empty: 'is empty',
  is_not_empty: 'is not empty',
  before: 'is before',
  after: 'is after',
  in_last: 'is in the last',
  not_in_last: 'is not in the last',
  in_month: 'is in month',
};

export const RELATION_WORDS: Record<Relation, string> = { or: 'or', and_also: 'and also', but_not: 'but not' };

export const COUNT_WORDS: Record<Count['op'], string> = { gte: 'at least', gt: 'more than', eq: 'exactly', lte: 'at most', lt: 'fewer than' };

export function describeDuration(d: Duration): string {
  const unit = d.amount === 1 ? d.unit.replace(/s$/, '') : d.unit;
  return `${d.amount} ${unit}`;
}

export function describeValue(v: unknown): string {
  if (Array.isArray(v)) return v.map(describeValue).join(', ');
  if (v && typeof v === 'object' && 'amount' in v) return describeDuration(v as Duration);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') return `"${v}"`;
  return String(v);
}

export function describeComparison(c: Comparison): string {
  const attr = c.attr.replaceAll('.', ' › ').replaceAll('_', ' ');
  const words = OP_WORDS[c.op];
  if (c.value === undefined) return `${attr} ${words}`;
  if (c.op === 'between' && Array.isArray(c.value)) return `${attr} ${words} ${describeValue(c.value[0])} and ${describeValue(c.value[1])}`;
  if (c.op === 'in_month' && c.value === 'current') return `${attr} is in the current month`;
  return `${attr} ${words} ${describeValue(c.value)}`;
}

export function describeCondition(c: Condition): string {
  if (isComparison(c)) return describeComparison(c);
  if ('all' in c) return c.all.length === 1 ? describeCondition(c.all[0]!) : `(${c.all.map(describeCondition).join(' and ')})`;
  if ('any' in c) return c.any.length === 1 ? describeCondition(c.any[0]!) : `(${c.any.map(describeCondition).join(' or ')})`;
  return `not ${describeCondition(c.not)}`;
}

function describeWindow(w: Window | undefined): string {
  if (!w) return 'ever';
  if ('last' in w) return `in the last ${describeDuration(w.last)}`;
  return `between ${w.from} and ${w.to}`;
}

function describeCount(c: Count): string {
  const n = c.value === 1 ? 'once' : `${c.value} times`;
  return `${COUNT_WORDS[c.op]} ${n}`;
}

export function describeBlock(b: Block): string {
  switch (b.kind) {
    case 'profile':
      return `contacts whose ${describeCondition(b.where)}`;
    case 'behavioral': {
      const filter = b.where ? ` where ${describeCondition(b.where)}` : '';
      return `contacts with ${b.interaction}${filter} ${describeWindow(b.window)}, ${describeCount(b.count ?? DEFAULT_COUNT)}`;
    }
    case 'segment':
      return `members of segment "${b.segment}"`;
    case 'group':
      return `(${describeBlocks(b.blocks)})`;
  }
}

export function describeBlocks(blocks: Block[]): string {
  return blocks.map((b, i) => (i === 0 ? describeBlock(b) : `${RELATION_WORDS[b.relation ?? 'or']} ${describeBlock(b)}`)).join(' ');
}
