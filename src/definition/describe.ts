import type { Block, Comparison, Condition, Count, Duration, Operator, Relation, Window } from './ast.js';
import { DEFAULT_COUNT, countAdmitsZero, isComparison, isRelativeWindow } from './ast.js';
import { DEFAULT_LABELS, pathLabel, type Labels } from '../schema/labels.js';
import type { RecordKind } from '../schema/types.js';

/**
 * Plain-words rendering of a definition, for explain, listings and the designer summary. Names
 * read under their display labels (`Labels`; defaults derived from the names when none are
 * given), segments under their names.
 *
 * Two forms of one reading: `describeBlocks` is one line, grouped with parentheses and with its
 * blocks separated by semicolons ("…; and also …; but not …"); `outlineBlocks` is a tree (a
 * nested list) for the UI and the terminal, where each group and each all/any/not is a level.
 */

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

/** "1 day", "3 days": a number and its noun in agreement. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

export function describeDuration(d: Duration): string {
  return plural(d.amount, d.unit.replace(/s$/, ''), d.unit);
}

export function describeValue(v: unknown): string {
  if (Array.isArray(v)) return v.map(describeValue).join(', ');
  if (v && typeof v === 'object' && 'amount' in v) return describeDuration(v as Duration);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') return `"${v}"`;
  return String(v);
}

/** `kind`: the record the attribute path starts from (a profile block's contact, a behavioral block's interaction). */
export function describeComparison(c: Comparison, labels: Labels = DEFAULT_LABELS, kind: RecordKind = 'contact'): string {
  const attr = pathLabel(labels, kind, c.attr);
  const words = OP_WORDS[c.op];
  if (c.value === undefined) return `${attr} ${words}`;
  if (c.op === 'between' && Array.isArray(c.value)) return `${attr} ${words} ${describeValue(c.value[0])} and ${describeValue(c.value[1])}`;
  if (c.op === 'in_month' && c.value === 'current') return `${attr} is in the current month`;
  return `${attr} ${words} ${describeValue(c.value)}`;
}

/** A condition on one line: the top level bare, every nested all/any/not in parentheses. */
export function describeCondition(c: Condition, labels: Labels = DEFAULT_LABELS, kind: RecordKind = 'contact'): string {
  // A negation carries its own parentheses; an all/any of several inside another gets them.
  const nested = (x: Condition): string => (isComparison(x) || 'not' in x ? describeCondition(x, labels, kind) : `(${describeCondition(x, labels, kind)})`);
  if (isComparison(c)) return describeComparison(c, labels, kind);
  if ('all' in c) return c.all.length === 1 ? describeCondition(c.all[0]!, labels, kind) : c.all.map(nested).join(' and ');
  if ('any' in c) return c.any.length === 1 ? describeCondition(c.any[0]!, labels, kind) : c.any.map(nested).join(' or ');
  return `not (${describeCondition(c.not, labels, kind)})`;
}

function describeWindow(w: Window | undefined): string {
  if (!w) return '';
  if ('last' in w) return ` in the last ${describeDuration(w.last)}`;
  if (isRelativeWindow(w)) {
    // "between 90 and 30 days ago"; the unit once when both edges share it.
    if (w.from_ago.unit === w.to_ago.unit) return ` between ${w.from_ago.amount} and ${w.to_ago.amount} ${w.to_ago.unit} ago`;
    return ` between ${describeDuration(w.from_ago)} and ${describeDuration(w.to_ago)} ago`;
  }
  return ` between ${w.from} and ${w.to}`;
}

/** "at least once", "exactly 3 times", "at most 2 times (including none)". */
function describeCount(c: Count): string {
  const times = c.value === 1 ? 'once' : `${c.value} times`;
  if (c.op === 'gt' && c.value === 0) return 'at least once';
  return `${COUNT_WORDS[c.op]} ${times}`;
}

function describeBehavior(b: Extract<Block, { kind: 'behavioral' }>, labels: Labels): string {
  const type = labels.of('interaction_type', b.interaction);
  const filter = b.where ? ` (where ${describeCondition(b.where, labels, 'interaction')})` : '';
  const window = describeWindow(b.window);
  const count = b.count ?? DEFAULT_COUNT;
  // A count that admits only zero reads as an absence: "no Email opened in the last 90 days".
  if ((count.op === 'eq' && count.value === 0) || (count.op === 'lt' && count.value === 1) || (count.op === 'lte' && count.value === 0)) {
    return `contacts with no ${type}${filter}${window}`;
  }
  // Any other count that admits zero also includes contacts with none at all (SPEC §2): said so.
  const none = countAdmitsZero(count) ? ' (including none)' : '';
  return `contacts with ${type}${filter} ${describeCount(count)}${window}${none}`;
}

/** A profile block's condition follows "contacts whose"; a negation reads better after "where". */
function describeProfile(where: Condition, labels: Labels): string {
  return `contacts ${!isComparison(where) && 'not' in where ? 'where' : 'whose'} ${describeCondition(where, labels)}`;
}

export function describeBlock(b: Block, labels: Labels = DEFAULT_LABELS): string {
  switch (b.kind) {
    case 'profile':
      return describeProfile(b.where, labels);
    case 'behavioral':
      return describeBehavior(b, labels);
    case 'segment':
      return `members of segment "${labels.segment(b.segment)}"`;
    case 'group':
      return `(${describeBlocks(b.blocks, labels)})`;
  }
}

/** The relation a block has to the ones before it (the first has none; `or` by default). */
const relationAt = (b: Block, i: number): Relation | undefined => (i === 0 ? undefined : (b.relation ?? 'or'));

/** The blocks on one line: "contacts whose …; and also contacts with …; but not members of segment "…"". */
export function describeBlocks(blocks: Block[], labels: Labels = DEFAULT_LABELS): string {
  return blocks
    .map((b, i) => {
      const relation = relationAt(b, i);
      return relation ? `${RELATION_WORDS[relation]} ${describeBlock(b, labels)}` : describeBlock(b, labels);
    })
    .join('; ');
}

/** "contacts whose …" → "Contacts whose ….": a description as a sentence. */
export function asSentence(s: string): string {
  if (!s) return s;
  return `${s[0]!.toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;
}

/** One line of the outline: its words, the relation to the lines before it (blocks), and its sub-lines. */
export interface OutlineItem {
  relation?: Relation;
  text: string;
  items?: OutlineItem[];
}

const LOGIC_HEADS = { all: 'all of these hold:', any: 'at least one of these holds:', not: 'this does not hold:' } as const;

/** A condition as a tree: a comparison is a line, an all/any/not of several a heading over its parts. */
export function outlineCondition(c: Condition, labels: Labels = DEFAULT_LABELS, kind: RecordKind = 'contact'): OutlineItem {
  if (isComparison(c)) return { text: describeComparison(c, labels, kind) };
  if ('all' in c && c.all.length === 1) return outlineCondition(c.all[0]!, labels, kind);
  if ('any' in c && c.any.length === 1) return outlineCondition(c.any[0]!, labels, kind);
  if ('not' in c) return { text: LOGIC_HEADS.not, items: [outlineCondition(c.not, labels, kind)] };
  const [head, parts] = 'all' in c ? [LOGIC_HEADS.all, c.all] : [LOGIC_HEADS.any, c.any];
  return { text: head, items: parts.map((p) => outlineCondition(p, labels, kind)) };
}

function outlineBlock(b: Block, labels: Labels): Omit<OutlineItem, 'relation'> {
  switch (b.kind) {
    case 'profile': {
      const where = outlineCondition(b.where, labels);
      return where.items ? { text: `contacts for whom ${where.text}`, items: where.items } : { text: describeProfile(b.where, labels) };
    }
    case 'behavioral':
      return { text: describeBehavior(b, labels) };
    case 'segment':
      return { text: describeBlock(b, labels) };
    case 'group':
      return { text: 'the contacts of this group:', items: outlineBlocks(b.blocks, labels) };
  }
}

/** The blocks as a tree: each block a line with its relation, each group and all/any/not a level. */
export function outlineBlocks(blocks: Block[], labels: Labels = DEFAULT_LABELS): OutlineItem[] {
  return blocks.map((b, i) => {
    const relation = relationAt(b, i);
    return relation ? { relation, ...outlineBlock(b, labels) } : outlineBlock(b, labels);
  });
}

/** The outline as indented text lines, for the terminal: "- and also: contacts with …". */
export function outlineText(items: OutlineItem[], indent = ''): string[] {
  return items.flatMap((item) => [
    `${indent}- ${item.relation ? `${RELATION_WORDS[item.relation]}: ` : ''}${item.text}`,
    ...outlineText(item.items ?? [], `${indent}  `),
  ]);
}
