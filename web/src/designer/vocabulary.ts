/**
 * Words and option lists the designer shows: attributes from the schema under their labels
 * (contact attributes, then each many-to-one relation's as `account.<attr>`, "Account › Industry"),
 * interaction types under theirs, the operators each type allows
 * (operators.ts), relations, units.
 */
import type { Attribute, AttributeType, Schema, SchemaRelation } from '../api/types';
import { defaultLabel, labelFromName, PATH_SEPARATOR } from '../../../src/schema/labels.js';
import type { CountOperator, Operator, Relation, TimeUnit } from '../../../src/definition/ast.js';
import { COUNT_WORDS, OP_WORDS } from '../../../src/definition/describe.js';
import { OPERATORS_BY_TYPE } from '../../../src/definition/operators.js';

export interface AttributeOption {
  /** The path a comparison names: `state`, `account.industry`. */
  name: string;
  label: string;
  type: AttributeType;
}

/** Contact → account is the relation the definition's paths walk (SPEC §2), when the schema does not list its relations. */
const CONTACT_RELATIONS = [{ from: 'contact', name: 'account', via: 'account_id', to: 'account' }] as const;

/** A name's default label (`job_title` → "Job title"), for names the schema does not label. */
export const humanize = (name: string): string => labelFromName(name);

const queryable = (attrs: Attribute[] | undefined): Attribute[] => (attrs ?? []).filter((a) => a.queryable);

/** An attribute's label as the schema gives it (the one set, or its default). */
const labelOf = (a: Attribute): string => a.label ?? humanize(a.name);

export interface AttributeGroup {
  label: string;
  options: AttributeOption[];
}

/** Contact attributes and, per relation of contact, the related record's attributes ("Account › Industry"). */
export function contactAttributes(schema: Schema): AttributeGroup[] {
  const entity = (n: string) => schema.entities.find((e) => e.name === n)?.attributes;
  const groups: AttributeGroup[] = [{ label: 'Contact', options: queryable(entity('contact')).map((a) => ({ name: a.name, label: labelOf(a), type: a.type })) }];
  const relations: SchemaRelation[] = schema.relations ?? [...CONTACT_RELATIONS];
  for (const rel of relations.filter((r) => r.from === 'contact')) {
    const relLabel = rel.label ?? humanize(rel.name);
    groups.push({
      label: relLabel,
      options: queryable(entity(rel.to)).map((a) => ({ name: `${rel.name}.${a.name}`, label: `${relLabel}${PATH_SEPARATOR}${labelOf(a)}`, type: a.type })),
    });
  }
  return groups;
}

/** Interaction properties (a behavioral block's `where`). */
export function interactionAttributes(schema: Schema): AttributeGroup[] {
  const attrs = schema.entities.find((e) => e.name === 'interaction')?.attributes;
  return [{ label: 'Interaction', options: queryable(attrs).map((a) => ({ name: a.name, label: labelOf(a), type: a.type })) }];
}

/** How an interaction type reads ("Email opened"): its label in the schema, or its default. */
export function interactionTypeLabel(schema: Schema | undefined, name: string): string {
  return schema?.interactionTypes.find((t) => t.name === name)?.label ?? defaultLabel('interaction_type', name);
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
