/**
 * Words and option lists the designer shows: attributes from the schema (contact attributes,
 * then each many-to-one relation's as `account.<attr>`), the operators each type allows
 * (operators.ts), relations, units.
 */
import type { Attribute, AttributeType, Schema } from '../api/types';
import type { CountOperator, Operator, Relation, TimeUnit } from '../../../src/definition/ast.js';
import { COUNT_WORDS, OP_WORDS } from '../../../src/definition/describe.js';
import { OPERATORS_BY_TYPE } from '../../../src/definition/operators.js';

export interface AttributeOption {
  /** The path a comparison names: `state`, `account.industry`. */
  name: string;
  label: string;
  type: AttributeType;
}

/** Contact → account is the relation the definition's paths walk (SPEC §2). */
const CONTACT_RELATIONS = [{ name: 'account', entity: 'account', label: 'Account' }] as const;

export const humanize = (name: string): string => {
  const s = name.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};

const queryable = (attrs: Attribute[] | undefined): Attribute[] => (attrs ?? []).filter((a) => a.queryable);

export interface AttributeGroup {
  label: string;
  options: AttributeOption[];
}

/** Contact attributes and, per relation, the related record's attributes. */
export function contactAttributes(schema: Schema): AttributeGroup[] {
  const entity = (n: string) => schema.entities.find((e) => e.name === n)?.attributes;
  const groups: AttributeGroup[] = [
    { label: 'Contact', options: queryable(entity('contact')).map((a) => ({ name: a.name, label: humanize(a.name), type: a.type })) },
  ];
  for (const rel of CONTACT_RELATIONS) {
    groups.push({
      label: rel.label,
      options: queryable(entity(rel.entity)).map((a) => ({ name: `${rel.name}.${a.name}`, label: `${rel.label} › ${humanize(a.name)}`, type: a.type })),
    });
  }
  return groups;
}

/** Interaction properties (a behavioral block's `where`). */
export function interactionAttributes(schema: Schema): AttributeGroup[] {
  const attrs = schema.entities.find((e) => e.name === 'interaction')?.attributes;
  return [{ label: 'Interaction', options: queryable(attrs).map((a) => ({ name: a.name, label: humanize(a.name), type: a.type })) }];
}

const TEMPORAL_LABELS: Partial<Record<Operator, string>> = {
  eq: 'is on',
  ne: 'is not on',
  lt: 'is earlier than',
  lte: 'is on or before',
  gt: 'is later than',
  gte: 'is on or after',
};

/** The definition's own words (describe.ts), except where a menu entry reads better than a sentence's. */
const LABELS: Record<Operator, string> = { ...OP_WORDS, eq: 'equals', ne: 'does not equal', is_not_empty: 'has a value' };

export function operatorLabel(op: Operator, type: AttributeType): string {
  if (type === 'date' || type === 'datetime') return TEMPORAL_LABELS[op] ?? LABELS[op];
  if (type === 'boolean' && op === 'eq') return 'is';
  if (type === 'boolean' && op === 'ne') return 'is not';
  return LABELS[op];
}

export function operatorsFor(type: AttributeType): { name: Operator; value: Operator; label: string }[] {
  return OPERATORS_BY_TYPE[type].map((op) => ({ name: op, value: op, label: operatorLabel(op, type) }));
}

export const RELATION_HINTS: Record<Relation, string> = {
  or: 'adds these contacts (union)',
  and_also: 'keeps only contacts also in this block (intersection)',
  but_not: 'removes these contacts (difference)',
};

export const TIME_UNITS: readonly TimeUnit[] = ['minutes', 'hours', 'days', 'weeks'];

export const COUNT_OPERATORS = (Object.entries(COUNT_WORDS) as [CountOperator, string][]).map(([value, label]) => ({ value, label }));

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
