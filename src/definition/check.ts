import type { Issue } from '../errors.js';
import { SegmataError } from '../errors.js';
import type { SchemaRegistry } from '../schema/registry.js';
import type { AttributeType, RecordKind } from '../schema/types.js';
import type { Block, Comparison, Condition, SegmentDefinition, Window } from './ast.js';
import { isComparison, referencedSegments } from './ast.js';
import { OPERATORS_BY_TYPE, parseInstant, valueShape } from './operators.js';

/** What validation needs to know about other segments. */
export interface SegmentLookup {
  /** The segment's type and the segments it references, or undefined if it does not exist. */
  (id: string): { type: string; references: string[] } | undefined;
}

export interface CheckContext {
  registry: SchemaRegistry;
  segments: SegmentLookup;
}

const describeValue = (v: unknown): string => JSON.stringify(v);

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
    case 'datetime':
      if (typeof v !== 'string' || parseInstant(v) === undefined) bad('an ISO 8601 date (2024-05-31) or date-time with zone (2024-05-31T12:00:00Z)');
      return;
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
      const d = v as { amount?: unknown; unit?: unknown } | undefined;
      const okShape = typeof d === 'object' && d !== null && !Array.isArray(d) && Object.keys(d).every((k) => k === 'amount' || k === 'unit');
      if (!okShape || !Number.isInteger(d.amount) || (d.amount as number) < 1 || !['minutes', 'hours', 'days', 'weeks'].includes(String(d.unit))) {
        issues.push({
          path: vpath,
          message: `operator "${c.op}" needs { "amount": positive integer, "unit": "minutes"|"hours"|"days"|"weeks" }, got ${describeValue(v)}`,
        });
      }
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
  if ('last' in w) return; // shape fully checked by the JSON schema
  const from = parseInstant(w.from);
  const to = parseInstant(w.to);
  if (from === undefined) issues.push({ path: `${path}.from`, message: `expected an ISO 8601 date or date-time with zone, got ${describeValue(w.from)}` });
  if (to === undefined) issues.push({ path: `${path}.to`, message: `expected an ISO 8601 date or date-time with zone, got ${describeValue(w.to)}` });
  if (from !== undefined && to !== undefined && from > to) issues.push({ path, message: '"from" is after "to"' });
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
  if (issues.length > 0) throw SegmataError.fromIssues('invalid_definition', 'invalid segment definition', issues);
}
