import type { BehavioralBlock, Block, Comparison, Condition, Relation, Window } from '../../definition/ast.js';
import { DEFINITION_LIMITS } from '../../definition/limits.js';
import type { TemplateOutput, TemplateParam } from './types.js';

/** Small builders that keep the template catalog readable. */

export const lastDays = (days: number): Window => ({ last: { amount: days, unit: 'days' } });

export const cmp = (attr: string, op: Comparison['op'], value?: Comparison['value']): Comparison =>
  value === undefined ? { attr, op } : { attr, op, value };

/** All of the conditions, or the single one. */
export const allOf = (conditions: Condition[]): Condition => (conditions.length === 1 ? conditions[0]! : { all: conditions });

export const profile = (where: Condition): Block => ({ kind: 'profile', where });

export function behavioral(interaction: string, options: Omit<BehavioralBlock, 'kind' | 'interaction' | 'relation'> = {}): Block {
  return { kind: 'behavioral', interaction, ...options };
}

/** A property condition only when a value was given (optional filters such as event_id). */
export function propertyIs(attr: string, value: string | undefined): Pick<BehavioralBlock, 'where'> {
  return value === undefined ? {} : { where: cmp(attr, 'eq', value) };
}

export const joined = (relation: Relation, block: Block): Block => ({ ...block, relation });

/** A dynamic segment's definition; its description is the definition in plain words (../description.ts). */
export const dynamic = (name: string, blocks: Block[]): TemplateOutput => ({
  name,
  type: 'dynamic',
  query: { blocks },
});

/** Parameter declarations used by many templates. */
export const daysParam = (fallback: number, what: string): TemplateParam => ({
  name: 'days',
  label: 'Days',
  type: 'integer',
  default: fallback,
  required: true,
  min: 1,
  // A window reaches back at most 100 years.
  max: DEFINITION_LIMITS.maxDuration.days,
  description: `how many days back to look for ${what}`,
});
