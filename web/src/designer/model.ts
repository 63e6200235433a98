/**
 * The designer's state and its exact correspondence with the segment definition JSON
 * (SPEC §2). Pure data, no React: `fromDefinition` and `toDefinition` round-trip, so what the
 * designer shows is always exactly what the API receives.
 *
 * Conditions are kept as react-querybuilder rule groups (`all` ↔ combinator "and", `any` ↔
 * "or", `not` ↔ the group's `not` flag) whose rules carry our operator names and value shapes.
 * A group marked `implicit` exists only for the editor: it stands for its single child (a bare
 * comparison as a block's whole `where`, or `{ not: comparison }`), so `{ not: x }` and
 * `{ not: { all: [x] } }` stay different.
 */
import type { RuleGroupType, RuleType } from 'react-querybuilder';
import { idFromName } from '../../../src/definition/id.js';
import type {
  AttributeType,
} from '../api/types';
import type {
  Block,
  Comparison,
  Condition,
  Count,
  Duration,
  Operator,
  Relation,
  Scalar,
  SegmentDefinition,
  SegmentType,
  Window,
} from '../../../src/definition/ast.js';
import { valueShape } from '../../../src/definition/operators.js';

export type ConditionGroup = RuleGroupType & { implicit?: boolean };
export type ConditionRule = RuleType;
export type ComparisonValue = Comparison['value'];

interface BlockStateBase {
  /** Stable key for React and for placing estimates and errors; not part of the JSON. */
  key: string;
  relation?: Relation;
}
export interface ProfileBlockState extends BlockStateBase {
  kind: 'profile';
  where: ConditionGroup;
}
export interface BehavioralBlockState extends BlockStateBase {
  kind: 'behavioral';
  interaction: string;
  where?: ConditionGroup;
  window?: Window;
  count?: Count;
}
export interface SegmentBlockState extends BlockStateBase {
  kind: 'segment';
  segment: string;
}
export interface GroupBlockState extends BlockStateBase {
  kind: 'group';
  blocks: BlockState[];
}
export type BlockState = ProfileBlockState | BehavioralBlockState | SegmentBlockState | GroupBlockState;
export type BlockKind = BlockState['kind'];

export interface DesignerState {
  id?: string;
  name: string;
  description?: string;
  type: SegmentType;
  /** False when the definition has no `query` at all (kept so the JSON round-trips). */
  hasQuery: boolean;
  blocks: BlockState[];
  members?: string[];
}

let counter = 0;
const prefix = Math.random().toString(36).slice(2, 7);
/** Ids unique within the page (crypto.randomUUID needs a secure context). */
export function newId(): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

// ---------- conditions ----------

export function isGroup(r: ConditionRule | RuleGroupType): r is RuleGroupType {
  return 'rules' in r;
}

export function newRule(field: string, operator: Operator, value: ComparisonValue): ConditionRule {
  return { id: newId(), field, operator, value };
}

export function newGroup(rules: (ConditionRule | ConditionGroup)[] = [], combinator: 'and' | 'or' = 'and'): ConditionGroup {
  return { id: newId(), combinator, rules };
}

function ruleFromComparison(c: Comparison): ConditionRule {
  return newRule(c.attr, c.op, clone(c.value));
}

/** A condition inside a group: a comparison becomes a rule, anything else a group. */
function childFromCondition(c: Condition): ConditionRule | ConditionGroup {
  return 'attr' in c ? ruleFromComparison(c) : groupFromCondition(c);
}

/** Any condition as a rule group (the editor's root is always a group). */
export function groupFromCondition(c: Condition): ConditionGroup {
  if ('all' in c) return { id: newId(), combinator: 'and', rules: c.all.map(childFromCondition) };
  if ('any' in c) return { id: newId(), combinator: 'or', rules: c.any.map(childFromCondition) };
  if ('not' in c) {
    const inner = c.not;
    if ('all' in inner || 'any' in inner) return { ...groupFromCondition(inner), not: true };
    return { id: newId(), combinator: 'and', not: true, implicit: true, rules: [childFromCondition(inner)] };
  }
  return { id: newId(), combinator: 'and', implicit: true, rules: [ruleFromComparison(c)] };
}

function comparisonFromRule(r: ConditionRule): Comparison {
  const out: Comparison = { attr: r.field, op: r.operator as Operator };
  if (r.value !== undefined) out.value = clone(r.value as ComparisonValue);
  return out;
}

function conditionFromChild(r: ConditionRule | RuleGroupType): Condition {
  return isGroup(r) ? conditionFromGroup(r) : comparisonFromRule(r);
}

/** The condition JSON a rule group stands for. */
export function conditionFromGroup(g: ConditionGroup | RuleGroupType): Condition {
  const only = g.rules.length === 1 ? g.rules[0] : undefined;
  const inner: Condition =
    (g as ConditionGroup).implicit && only && typeof only !== 'string'
      ? conditionFromChild(only)
      : g.combinator === 'or'
        ? { any: g.rules.filter(notString).map(conditionFromChild) }
        : { all: g.rules.filter(notString).map(conditionFromChild) };
  return g.not ? { not: inner } : inner;
}

// RuleGroupType's rules may hold combinator strings only in the "independent combinators" mode we do not use.
const notString = (r: unknown): r is ConditionRule | RuleGroupType => typeof r !== 'string';

// ---------- blocks ----------

function blockFromDefinition(b: Block): BlockState {
  const base = { key: newId(), ...(b.relation !== undefined ? { relation: b.relation } : {}) };
  switch (b.kind) {
    case 'profile':
      return { ...base, kind: 'profile', where: groupFromCondition(b.where) };
    case 'behavioral':
      return {
        ...base,
        kind: 'behavioral',
        interaction: b.interaction,
        ...(b.where !== undefined ? { where: groupFromCondition(b.where) } : {}),
        ...(b.window !== undefined ? { window: clone(b.window) } : {}),
        ...(b.count !== undefined ? { count: clone(b.count) } : {}),
      };
    case 'segment':
      return { ...base, kind: 'segment', segment: b.segment };
    case 'group':
      return { ...base, kind: 'group', blocks: b.blocks.map(blockFromDefinition) };
  }
}

function blockToDefinition(b: BlockState): Block {
  const base = b.relation !== undefined ? { relation: b.relation } : {};
  switch (b.kind) {
    case 'profile':
      return { ...base, kind: 'profile', where: conditionFromGroup(b.where) };
    case 'behavioral':
      return {
        ...base,
        kind: 'behavioral',
        interaction: b.interaction,
        ...(b.where !== undefined ? { where: conditionFromGroup(b.where) } : {}),
        ...(b.window !== undefined ? { window: clone(b.window) } : {}),
        ...(b.count !== undefined ? { count: clone(b.count) } : {}),
      };
    case 'segment':
      return { ...base, kind: 'segment', segment: b.segment };
    case 'group':
      return { ...base, kind: 'group', blocks: b.blocks.map(blockToDefinition) };
  }
}

// ---------- the whole definition ----------

export function fromDefinition(def: SegmentDefinition): DesignerState {
  return {
    ...(def.id !== undefined ? { id: def.id } : {}),
    name: def.name,
    ...(def.description !== undefined ? { description: def.description } : {}),
    type: def.type,
    hasQuery: def.query !== undefined,
    blocks: def.query ? def.query.blocks.map(blockFromDefinition) : [],
    ...(def.members !== undefined ? { members: [...def.members] } : {}),
  };
}

/** The definition JSON, keys in the SPEC's order (the JSON view shows it as is). */
export function toDefinition(s: DesignerState): SegmentDefinition {
  // `id` is optional in the API (generated from the name), though the TS type requires it.
  const def = {
    ...(s.id !== undefined ? { id: s.id } : {}),
    name: s.name,
    ...(s.description !== undefined ? { description: s.description } : {}),
    type: s.type,
    ...(s.hasQuery || s.blocks.length > 0 ? { query: { blocks: s.blocks.map(blockToDefinition) } } : {}),
    ...(s.members !== undefined ? { members: [...s.members] } : {}),
  };
  return def as SegmentDefinition;
}

export function emptyState(type: SegmentType = 'dynamic'): DesignerState {
  return { name: '', type, hasQuery: false, blocks: [] };
}

// ---------- values ----------

/** A fresh value of the shape `op` takes, for an attribute of `type`. */
export function defaultValue(op: Operator, type: AttributeType): ComparisonValue {
  const scalar: Scalar = type === 'number' ? 0 : type === 'boolean' ? true : '';
  switch (valueShape(op)) {
    case 'none':
      return undefined;
    case 'scalar':
      return scalar;
    case 'pair':
      return [scalar, scalar];
    case 'list':
      return [];
    case 'duration':
      return { amount: 30, unit: 'days' };
    case 'month':
      return 'current';
  }
}

/** Keep a value across an operator change when it has the shape the new operator takes. */
export function valueForOperator(prev: ComparisonValue, op: Operator, type: AttributeType): ComparisonValue {
  const shape = valueShape(op);
  const isDuration = (v: unknown): v is Duration => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (shape === 'scalar' && prev !== undefined && !Array.isArray(prev) && !isDuration(prev)) return prev;
  if (shape === 'pair' && Array.isArray(prev) && prev.length === 2) return prev;
  if (shape === 'list' && Array.isArray(prev)) return prev;
  if (shape === 'list' && prev !== undefined && prev !== '' && !Array.isArray(prev) && !isDuration(prev)) return [prev];
  if (shape === 'duration' && isDuration(prev)) return prev;
  return defaultValue(op, type);
}

// ---------- incomplete conditions ----------

const missingScalar = (v: unknown): boolean => v === undefined || v === null || v === '' || (typeof v === 'number' && !Number.isFinite(v));

/**
 * Does a comparison still lack the value its operator takes (nothing typed yet)? Such a
 * condition is marked incomplete beside its field, and the definition is not estimated: its
 * count would be that of an empty value (usually 0), not of what the user is about to type.
 * (An empty text is "no value" here; `is empty` is how a definition asks for one.)
 */
export function isIncompleteValue(op: Operator, value: ComparisonValue): boolean {
  switch (valueShape(op)) {
    case 'none':
      return false;
    case 'scalar':
      return missingScalar(value);
    case 'pair':
      return !Array.isArray(value) || value.length !== 2 || value.some(missingScalar);
    case 'list':
      return !Array.isArray(value) || value.length === 0;
    case 'duration':
      return typeof value !== 'object' || value === null || Array.isArray(value) || missingScalar(value.amount);
    case 'month':
      return value === undefined || value === '';
  }
}

/** The ids of a condition tree's incomplete rules. */
export function incompleteRuleIds(g: RuleGroupType): Set<string> {
  const out = new Set<string>();
  const walk = (group: RuleGroupType) => {
    for (const r of group.rules) {
      if (typeof r === 'string') continue;
      if (isGroup(r)) walk(r);
      else if (isIncompleteValue(r.operator as Operator, r.value as ComparisonValue)) out.add(r.id ?? '');
    }
  };
  walk(g);
  return out;
}

/** Is anything in these blocks not filled in yet (a condition's value, a block's segment or interaction type)? */
export function hasIncompleteBlock(blocks: BlockState[]): boolean {
  return blocks.some((b) => {
    switch (b.kind) {
      case 'profile':
        return incompleteRuleIds(b.where).size > 0;
      case 'behavioral':
        return b.interaction === '' || (b.where !== undefined && incompleteRuleIds(b.where).size > 0);
      case 'segment':
        return b.segment === '';
      case 'group':
        return hasIncompleteBlock(b.blocks);
    }
  });
}

// ---------- block list edits ----------

export const RELATIONS: readonly Relation[] = ['or', 'and_also', 'but_not'];
export const DEFAULT_RELATION: Relation = 'and_also';

export interface BlockDefaults {
  field: string;
  fieldType: AttributeType;
  interaction: string;
  segment: string;
}

export function newBlock(kind: BlockKind, d: BlockDefaults): BlockState {
  const key = newId();
  switch (kind) {
    case 'profile':
      return { key, kind, where: newGroup([newRule(d.field, 'eq', defaultValue('eq', d.fieldType))]) };
    case 'behavioral':
      return { key, kind, interaction: d.interaction, window: { last: { amount: 30, unit: 'days' } }, count: { op: 'gte', value: 1 } };
    case 'segment':
      return { key, kind, segment: d.segment };
    case 'group':
      return { key, kind, blocks: [] };
  }
}

/** The first block of a list has no relation; every later one has one. */
export function normalizeRelations(blocks: BlockState[]): BlockState[] {
  return blocks.map((b, i) => {
    if (i === 0) {
      if (b.relation === undefined) return b;
      const { relation: _dropped, ...rest } = b;
      return rest as BlockState;
    }
    return b.relation === undefined ? { ...b, relation: DEFAULT_RELATION } : b;
  });
}

/** Apply `f` to the list that holds the block `parentKey` names (null: the top-level list). */
export function editList(blocks: BlockState[], parentKey: string | null, f: (list: BlockState[]) => BlockState[]): BlockState[] {
  if (parentKey === null) return f(blocks);
  return blocks.map((b) => (b.kind === 'group' ? (b.key === parentKey ? { ...b, blocks: f(b.blocks) } : { ...b, blocks: editList(b.blocks, parentKey, f) }) : b));
}

export function addBlock(blocks: BlockState[], parentKey: string | null, block: BlockState): BlockState[] {
  return editList(blocks, parentKey, (list) => normalizeRelations([...list, block]));
}

export function updateBlock(blocks: BlockState[], key: string, f: (b: BlockState) => BlockState): BlockState[] {
  return blocks.map((b) => (b.key === key ? f(b) : b.kind === 'group' ? { ...b, blocks: updateBlock(b.blocks, key, f) } : b));
}

export function removeBlock(blocks: BlockState[], key: string): BlockState[] {
  const inner = blocks.filter((b) => b.key !== key).map((b) => (b.kind === 'group' ? { ...b, blocks: removeBlock(b.blocks, key) } : b));
  return normalizeRelations(inner);
}

/**
 * Move a block one place up (-1) or down (+1) within its list. A block keeps its relation
 * ("but not" stays with what is excluded); whichever block becomes first hands its relation
 * to the one it displaced.
 */
export function moveBlock(blocks: BlockState[], key: string, delta: -1 | 1): BlockState[] {
  const i = blocks.findIndex((b) => b.key === key);
  if (i < 0) return blocks.map((b) => (b.kind === 'group' ? { ...b, blocks: moveBlock(b.blocks, key, delta) } : b));
  const j = i + delta;
  if (j < 0 || j >= blocks.length) return blocks;
  const next = [...blocks];
  const a = next[i] as BlockState;
  const b = next[j] as BlockState;
  const first = Math.min(i, j);
  if (first === 0) {
    // The block leaving position 0 takes the relation of the one arriving there.
    const arriving = first === i ? b : a;
    const leaving = first === i ? a : b;
    const relation = arriving.relation ?? DEFAULT_RELATION;
    const movedLeaving = { ...leaving, relation };
    next[i] = first === i ? b : movedLeaving;
    next[j] = first === i ? movedLeaving : a;
    return normalizeRelations(next);
  }
  next[i] = b;
  next[j] = a;
  return next;
}

export function findBlock(blocks: BlockState[], key: string): BlockState | undefined {
  for (const b of blocks) {
    if (b.key === key) return b;
    if (b.kind === 'group') {
      const f = findBlock(b.blocks, key);
      if (f) return f;
    }
  }
  return undefined;
}

// ---------- ids ----------

/** A segment id from its name: `[a-z0-9][a-z0-9-]{0,63}`. */
export function slugify(name: string): string {
  // An empty name has no id yet (the field stays empty rather than showing a placeholder id).
  return name.trim() ? idFromName(name) : '';
}

// ---------- placing API errors ----------

export type IssueTarget =
  | { kind: 'field'; field: 'id' | 'name' | 'description' | 'type' | 'query' }
  | { kind: 'block'; key: string; field: string }
  | { kind: 'rule'; key: string; id: string; field: string }
  | { kind: 'general' };

export interface PlacedIssue {
  target: IssueTarget;
  message: string;
  path: string;
}

type Token = string | number;

export function parsePath(path: string): Token[] {
  const out: Token[] = [];
  for (const part of path.split('.')) {
    if (part === '') continue;
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [part];
    if (m[1]) out.push(m[1]);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** Follow a condition path (`all[0].not.value`) through the rule group that renders it. */
function placeInCondition(g: ConditionGroup | RuleGroupType, tokens: Token[], blockKey: string): IssueTarget {
  let rest = tokens;
  if (g.not) {
    if (rest[0] !== 'not') return { kind: 'rule', key: blockKey, id: g.id ?? '', field: '' };
    rest = rest.slice(1);
  }
  const only = g.rules.length === 1 ? g.rules[0] : undefined;
  let child: ConditionRule | RuleGroupType | undefined;
  if ((g as ConditionGroup).implicit && only && typeof only !== 'string') child = only;
  else if ((rest[0] === 'all' || rest[0] === 'any') && typeof rest[1] === 'number') {
    const c = g.rules[rest[1]];
    child = typeof c === 'string' ? undefined : c;
    rest = rest.slice(2);
  } else return { kind: 'rule', key: blockKey, id: g.id ?? '', field: String(rest[0] ?? '') };
  if (!child) return { kind: 'rule', key: blockKey, id: g.id ?? '', field: '' };
  if (isGroup(child)) return placeInCondition(child, rest, blockKey);
  return { kind: 'rule', key: blockKey, id: child.id ?? '', field: String(rest[0] ?? '') };
}

function placeInBlocks(blocks: BlockState[], tokens: Token[]): IssueTarget {
  const [i, field, ...rest] = tokens;
  const b = typeof i === 'number' ? blocks[i] : undefined;
  if (!b) return { kind: 'field', field: 'query' };
  if (b.kind === 'group' && field === 'blocks' && rest.length > 0) return placeInBlocks(b.blocks, rest);
  if (field === 'where' && (b.kind === 'profile' || b.kind === 'behavioral') && b.where && rest.length > 0) {
    return placeInCondition(b.where, rest, b.key);
  }
  return { kind: 'block', key: b.key, field: field === undefined ? '' : String(field) };
}

/** Where an API issue path (`body.query.blocks[1].where.value`) belongs in the designer. */
export function placeIssue(state: DesignerState, path: string): IssueTarget {
  const tokens = parsePath(path.replace(/^body\.?/, ''));
  const [head, second, ...rest] = tokens;
  if (head === 'id' || head === 'name' || head === 'description' || head === 'type') return { kind: 'field', field: head };
  if (head === 'query') {
    if (second === 'blocks' && rest.length > 0) return placeInBlocks(state.blocks, rest);
    return { kind: 'field', field: 'query' };
  }
  return { kind: 'general' };
}

export function placeIssues(state: DesignerState, issues: { path: string; message: string }[]): PlacedIssue[] {
  return issues.map((i) => ({ ...i, target: placeIssue(state, i.path) }));
}
