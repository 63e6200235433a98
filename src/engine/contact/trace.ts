import type { Block, Comparison, Relation } from '../../definition/ast.js';

/**
 * The per-contact evaluator's account of each decision: what explain answers. Plain data that
 * depends on the definition types only, so the web UI reads explain's JSON with these same
 * types. `Actual` is an attribute's value as the evaluator holds it; over HTTP an instant
 * arrives as its ISO text, so the UI reads `BlockTrace<unknown>`.
 */

/** An attribute's value as the evaluator holds it. */
export type AttrValue = string | number | boolean | Date | null | undefined;

/** A comparison as the definition states it, the contact's actual value, and the verdict. */
export interface ComparisonTrace<Actual = AttrValue> extends Comparison {
  kind: 'comparison';
  actual: Actual;
  result: boolean;
}
export interface LogicTrace<Actual = AttrValue> {
  kind: 'all' | 'any' | 'not';
  result: boolean;
  children: ConditionTrace<Actual>[];
}
export type ConditionTrace<Actual = AttrValue> = ComparisonTrace<Actual> | LogicTrace<Actual>;

export interface BlockTrace<Actual = AttrValue> {
  index: number;
  kind: Block['kind'];
  relation?: Relation;
  /** Does the contact satisfy this block on its own? */
  matched: boolean;
  /** The result so far, after applying this block with its relation. */
  running: boolean;
  condition?: ConditionTrace<Actual>;
  /** Behavioral: how many interactions matched type, filter and window. */
  count?: number;
  children?: BlockTrace<Actual>[];
}
