import type { Issue } from '../errors.js';
import { SegmataError } from '../errors.js';
import type { SchemaRegistry } from '../schema/registry.js';
import type { AttributeType, RecordKind } from '../schema/types.js';
import type { Block, Comparison, Condition, Duration, SegmentDefinition, Window } from './ast.js';
import { isComparison, isRelativeWindow, referencedSegments } from './ast.js';
import { describeDuration } from './describe.js';
import { DEFINITION_LIMITS } from './limits.js';
import { ISO_DATE, ISO_DATETIME, OPERATORS_BY_TYPE, TIME_UNIT_MS, parseInstant, valueShape } from './operators.js';

/** What validation needs to know about other segments. */
export interface SegmentLookup {
  /** The segment's type and the segments it references, or undefined if it does not exist. */
  (id: string): { type: string; references: string[] } | undefined;
}

export interface CheckContext {
  registry: SchemaRegistry;
  segments: SegmentLookup;
}

/** A value as JSON for a message, cut short: a message quotes, it does not echo a whole list. */
function describeValue(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

const INSTANT_EXPECTED = 'an ISO 8601 date (2024-05-31) or date-time with zone (2024-05-31T12:00:00Z)';
const INSTANT_RANGE = 'years 0001-9999, real calendar days, hours 00-23, minutes and seconds 00-59, offsets within ±14:00';

/** Why `v` is no instant a definition can hold, or undefined if it is one. */
export function instantProblem(v: unknown): string | undefined {
  if (typeof v === 'string' && parseInstant(v) !== undefined) return undefined;
  if (typeof v === 'string' && (ISO_DATE.test(v) || ISO_DATETIME.test(v))) return `${describeValue(v)} is not a real date or time (${INSTANT_RANGE})`;
  return `expected ${INSTANT_EXPECTED}, got ${describeValue(v)}`;
}

/** The most problems one refusal lists. */
const MAX_ISSUES = 100;

const UNITS = Object.keys(DEFINITION_LIMITS.maxDuration) as (keyof typeof DEFINITION_LIMITS.maxDuration)[];

/** Why `v` is no duration (or one longer than 100 years), or undefined if it is fine. */
export function durationProblem(v: unknown): string | undefined {
  const d = v as { amount?: unknown; unit?: unknown } | undefined;
  const okShape = typeof d === 'object' && d !== null && !Array.isArray(d) && Object.keys(d).every((k) => k === 'amount' || k === 'unit');
  if (!okShape || !Number.isInteger(d.amount) || (d.amount as number) < 1 || !UNITS.includes(d.unit as (typeof UNITS)[number])) {
    return `needs { "amount": positive integer, "unit": "minutes"|"hours"|"days"|"weeks" }, got ${describeValue(v)}`;
  }
  const unit = d.unit as (typeof UNITS)[number];
  const max = DEFINITION_LIMITS.maxDuration[unit];
  if ((d.amount as number) > max) return `takes at most 100 years (${max.toLocaleString('en-US')} ${unit}), got ${String(d.amount)} ${unit}`;
  return undefined;
}

function checkScalar(type: AttributeType, v: unknown, path: string, issues: Issue[]): void {
  const bad = (expected: string): void => {
    issues.push({ path, message: `expected ${expected} for a ${type} attribute, got ${describeValue(v)}` });
  };
  switch (type) {
    case 'string':
      if (typeof v !== 'string') bad('a string');
      return;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) bad('a number');
      return;
    case 'boolean':
      if (typeof v !== 'boolean') bad('true or false');
      return;
    case 'date':
    case 'datetime': {
      const problem = instantProblem(v);
      if (problem === undefined) return;
      if (typeof v === 'string' && (ISO_DATE.test(v) || ISO_DATETIME.test(v))) issues.push({ path, message: problem });
      else bad(INSTANT_EXPECTED);
      return;
    }
  }
}

function checkComparison(c: Comparison, start: RecordKind, path: string, ctx: CheckContext, issues: Issue[]): void {
  const resolved = ctx.registry.resolve(start, c.attr);
  if (typeof resolved === 'string') {
    issues.push({ path: `${path}.attr`, message: resolved });
    return;
  }
  const { attribute } = resolved;
  if (!attribute.queryable) {
    issues.push({ path: `${path}.attr`, message: `attribute "${c.attr}" is not queryable (mark it queryable in the schema)` });
    return;
  }
  const allowed = OPERATORS_BY_TYPE[attribute.type];
  if (!allowed.includes(c.op)) {
    issues.push({
      path: `${path}.op`,
      message: `operator "${c.op}" does not apply to ${attribute.type} attribute "${c.attr}" (use one of: ${allowed.join(', ')})`,
    });
    return;
  }
  const vpath = `${path}.value`;
  const v = c.value;
  switch (valueShape(c.op)) {
    case 'none':
      if (v !== undefined) issues.push({ path: vpath, message: `operator "${c.op}" takes no value` });
      return;
    case 'scalar':
      if (v === undefined) issues.push({ path: vpath, message: `operator "${c.op}" needs a value` });
      else checkScalar(attribute.type, v, vpath, issues);
      return;
    case 'pair':
      if (!Array.isArray(v) || v.length !== 2) {
        issues.push({ path: vpath, message: `operator "between" needs [low, high], got ${describeValue(v)}` });
        return;
      }
      v.forEach((x, i) => checkScalar(attribute.type, x, `${vpath}[${i}]`, issues));
      return;
    case 'list':
      if (!Array.isArray(v) || v.length === 0) {
        issues.push({ path: vpath, message: `operator "${c.op}" needs a non-empty array of values, got ${describeValue(v)}` });
        return;
      }
      v.forEach((x, i) => checkScalar(attribute.type, x, `${vpath}[${i}]`, issues));
      return;
    case 'duration': {
      const problem = durationProblem(v);
      if (problem) issues.push({ path: vpath, message: `operator "${c.op}" ${problem}` });
      return;
    }
    case 'month':
      if (!(v === 'current' || (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 12))) {
        issues.push({ path: vpath, message: `operator "in_month" needs a month 1-12 or "current", got ${describeValue(v)}` });
      }
      return;
  }
}

function checkCondition(c: Condition, start: RecordKind, path: string, ctx: CheckContext, issues: Issue[]): void {
  if (isComparison(c)) checkComparison(c, start, path, ctx, issues);
  else if ('all' in c) c.all.forEach((x, i) => checkCondition(x, start, `${path}.all[${i}]`, ctx, issues));
  else if ('any' in c) c.any.forEach((x, i) => checkCondition(x, start, `${path}.any[${i}]`, ctx, issues));
  else checkCondition(c.not, start, `${path}.not`, ctx, issues);
}

function checkWindow(w: Window, path: string, issues: Issue[]): void {
  if ('last' in w) return; // fully checked by the JSON schema, its length too
  if (isRelativeWindow(w)) {
    // Each edge's length is checked by the JSON schema; their order here (SPEC §5.5).
    const ms = (d: Duration): number => d.amount * TIME_UNIT_MS[d.unit];
    if (!(ms(w.from_ago) > ms(w.to_ago))) {
      issues.push({ path, message: `"from_ago" (${describeDuration(w.from_ago)}) must be longer than "to_ago" (${describeDuration(w.to_ago)})` });
    }
    return;
  }
  const fromProblem = instantProblem(w.from);
  const toProblem = instantProblem(w.to);
  if (fromProblem) issues.push({ path: `${path}.from`, message: fromProblem });
  if (toProblem) issues.push({ path: `${path}.to`, message: toProblem });
  if (!fromProblem && !toProblem && parseInstant(w.from)! > parseInstant(w.to)!) issues.push({ path, message: '"from" is after "to"' });
}

function checkBlocks(blocks: Block[], path: string, def: SegmentDefinition, ctx: CheckContext, issues: Issue[]): void {
  blocks.forEach((b, i) => {
    const bpath = `${path}[${i}]`;
    if (i === 0 && b.relation !== undefined) {
      issues.push({ path: `${bpath}.relation`, message: 'the first block of a list has no relation' });
    }
    if (i > 0 && b.relation === undefined) {
      issues.push({ path: `${bpath}.relation`, message: 'required: "or", "and_also" or "but_not" joins this block to the ones before' });
    }
    if (def.type === 'compound' && b.kind !== 'segment' && b.kind !== 'group') {
      issues.push({ path: `${bpath}.kind`, message: `a compound segment is built from segment blocks only, got "${b.kind}"` });
    }
    switch (b.kind) {
      case 'profile':
        checkCondition(b.where, 'contact', `${bpath}.where`, ctx, issues);
        break;
      case 'behavioral': {
        const t = ctx.registry.interactionType(b.interaction);
        if (!t) {
          const known = ctx.registry.allInteractionTypes().map((x) => x.name).join(', ');
          issues.push({ path: `${bpath}.interaction`, message: `unknown interaction type "${b.interaction}" (known: ${known})` });
        } else if (!t.queryable) {
          issues.push({ path: `${bpath}.interaction`, message: `interaction type "${b.interaction}" is not queryable` });
        }
        if (b.where) checkCondition(b.where, 'interaction', `${bpath}.where`, ctx, issues);
        if (b.window) checkWindow(b.window, `${bpath}.window`, issues);
        break;
      }
      case 'segment':
        if (b.segment === def.id) issues.push({ path: `${bpath}.segment`, message: 'a segment cannot reference itself' });
        else if (!ctx.segments(b.segment)) issues.push({ path: `${bpath}.segment`, message: `unknown segment "${b.segment}"` });
        break;
      case 'group':
        checkBlocks(b.blocks, `${bpath}.blocks`, def, ctx, issues);
        break;
    }
  });
}

/** Find a reference cycle through `def` (its saved version replaced by this one), as a path of ids. */
function findCycle(def: SegmentDefinition, ctx: CheckContext): string[] | undefined {
  const refsOf = (id: string): string[] =>
    id === def.id ? referencedSegments(def.query) : (ctx.segments(id)?.references ?? []);
  const stack: string[] = [];
  const done = new Set<string>();
  const visit = (id: string): string[] | undefined => {
    const at = stack.indexOf(id);
    if (at >= 0) return [...stack.slice(at), id];
    if (done.has(id)) return undefined;
    stack.push(id);
    for (const r of refsOf(id)) {
      const cycle = visit(r);
      if (cycle) return cycle;
    }
    stack.pop();
    done.add(id);
    return undefined;
  };
  return visit(def.id);
}

/** Semantic validation against the schema registry and the other segments. */
export function checkDefinition(def: SegmentDefinition, ctx: CheckContext): void {
  const issues: Issue[] = [];
  if (def.type === 'static') {
    if (def.query) issues.push({ path: 'query', message: 'a static segment has no query; its members are set by hand' });
  } else {
    if (!def.query) issues.push({ path: 'query', message: `a ${def.type} segment needs a query` });
    if (def.members) issues.push({ path: 'members', message: 'only static segments take members' });
    if (def.query) checkBlocks(def.query.blocks, 'query.blocks', def, ctx, issues);
  }
  if (issues.length === 0) {
    const cycle = findCycle(def, ctx);
    if (cycle) issues.push({ path: 'query', message: `segment references form a cycle: ${cycle.join(' → ')}` });
  }
  // A 10,000-value list of the wrong type has as many problems: the first hundred say enough.
  if (issues.length > 0) throw SegmataError.fromIssues('invalid_definition', 'invalid segment definition', issues.slice(0, MAX_ISSUES));
}
