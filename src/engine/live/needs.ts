import type { Block, Comparison, Condition, Query } from '../../definition/ast.js';
import { isComparison, isRelativeWindow } from '../../definition/ast.js';
import { TIME_UNIT_MS, parseInstant } from '../../definition/operators.js';
import type { SchemaRegistry } from '../../schema/registry.js';

/** What a set of live segments reads, so the resident state holds exactly that. */
export interface Needs {
  /** Contact attributes read directly. */
  contact: Set<string>;
  /** Per relation (`account`): the related record's attributes read through it. */
  related: Map<string, Set<string>>;
  /** Per interaction type: the properties its filters read and the earliest instant any window reaches. */
  interactions: Map<string, { properties: Set<string>; horizon: number }>;
}

/** The reads of `queries`; windows relative to `from` (the earliest instant still to be evaluated). */
export function needsOf(queries: readonly Query[], registry: SchemaRegistry, from: number): Needs {
  const needs: Needs = { contact: new Set(), related: new Map(), interactions: new Map() };
  const profile = (where: Condition): void => {
    for (const c of comparisons(where)) profileAttr(c.attr);
  };
  const profileAttr = (attr: string): void => {
    const resolved = registry.resolve('contact', attr);
    if (typeof resolved === 'string') return; // validated definitions always resolve
    const hop = resolved.hops[0];
    if (!hop) needs.contact.add(resolved.attribute.name);
    else {
      needs.contact.add(hop.via);
      let set = needs.related.get(hop.name);
      if (!set) needs.related.set(hop.name, (set = new Set()));
      set.add(resolved.attribute.name);
    }
  };
  const visit = (blocks: readonly Block[]): void => {
    for (const b of blocks) {
      if (b.kind === 'profile') profile(b.where);
      else if (b.kind === 'group') visit(b.blocks);
      else if (b.kind === 'behavioral') {
        let t = needs.interactions.get(b.interaction);
        if (!t) needs.interactions.set(b.interaction, (t = { properties: new Set(), horizon: Infinity }));
        if (b.where) for (const c of comparisons(b.where)) t.properties.add(c.attr);
        const w = b.window;
        // The far edge: `last`, or a relative window's `from_ago` (its `to_ago` only ends it sooner).
        const start = !w
          ? -Infinity
          : 'last' in w
            ? from - w.last.amount * TIME_UNIT_MS[w.last.unit]
            : isRelativeWindow(w)
              ? from - w.from_ago.amount * TIME_UNIT_MS[w.from_ago.unit]
              : (parseInstant(w.from) ?? -Infinity);
        t.horizon = Math.min(t.horizon, start);
      }
    }
  };
  for (const q of queries) visit(q.blocks);
  return needs;
}

/** Every comparison in a condition tree. */
function* comparisons(c: Condition): Generator<Comparison> {
  if (isComparison(c)) yield c;
  else for (const x of 'all' in c ? c.all : 'any' in c ? c.any : [c.not]) yield* comparisons(x);
}

/** Does `have` hold everything `want` reads? */
export function covers(have: Needs, want: Needs): boolean {
  const sub = (a: Set<string>, b: Set<string> | undefined): boolean => [...a].every((x) => b?.has(x));
  if (!sub(want.contact, have.contact)) return false;
  for (const [rel, attrs] of want.related) if (!sub(attrs, have.related.get(rel))) return false;
  for (const [type, t] of want.interactions) {
    const h = have.interactions.get(type);
    if (!h || h.horizon > t.horizon || !sub(t.properties, h.properties)) return false;
  }
  return true;
}
