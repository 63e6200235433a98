import type { Block, Query } from '../../definition/ast.js';
import { referencedSegments } from '../../definition/ast.js';
import { isTimeDependent } from '../contact/next-change.js';
import type { SegmentRecord } from '../segments/types.js';

/** What a live segment reads, so a change only re-evaluates the segments it can affect. */
export interface SegmentDependencies {
  /** Reads contact attributes (or, through relations, account attributes). */
  profile: boolean;
  /** Interaction types of its behavioral blocks. */
  interactionTypes: Set<string>;
  /** Segments it references directly (all maintained: live or static). */
  segments: Set<string>;
  /** Its verdict can change as time passes (windows, relative dates). */
  timeDependent: boolean;
}

export function dependenciesOf(query: Query | undefined): SegmentDependencies {
  // Live segments only reference maintained segments, so nothing is evaluated inline.
  const timeDependent = query ? isTimeDependent(query, () => undefined) : false;
  const deps: SegmentDependencies = { profile: false, interactionTypes: new Set(), segments: new Set(referencedSegments(query)), timeDependent };
  const visit = (blocks: Block[]): void => {
    for (const b of blocks) {
      if (b.kind === 'profile') deps.profile = true;
      else if (b.kind === 'behavioral') deps.interactionTypes.add(b.interaction);
      else if (b.kind === 'group') visit(b.blocks);
    }
  };
  if (query) visit(query.blocks);
  return deps;
}

/** The live dynamic segments in dependency order (parts before wholes), with what each reads. */
export interface LivePlan {
  order: SegmentRecord[];
  deps: Map<string, SegmentDependencies>;
  interactionTypes: string[];
  /** Segment id → its position in `order`. */
  position: Map<string, number>;
  /** By position: the positions of the segments that reference it (all later in `order`). */
  dependents: number[][];
  /** Positions of the time-dependent segments. */
  timeDependent: number[];
}

/** Segments ordered so each comes after the segments it references (among those given). */
export function dependencyOrder(segments: SegmentRecord[]): SegmentRecord[] {
  const byId = new Map(segments.map((s) => [s.id, s]));
  const order: SegmentRecord[] = [];
  const seen = new Set<string>();
  const visit = (s: SegmentRecord): void => {
    if (seen.has(s.id)) return;
    seen.add(s.id);
    for (const r of referencedSegments(s.definition.query)) {
      const dep = byId.get(r);
      if (dep) visit(dep);
    }
    order.push(s);
  };
  segments.forEach(visit);
  return order;
}

export function livePlan(all: SegmentRecord[]): LivePlan {
  const order = dependencyOrder(all.filter((s) => s.status === 'live' && s.type !== 'static' && s.definition.query));
  const deps = new Map(order.map((s) => [s.id, dependenciesOf(s.definition.query)]));
  const types = new Set<string>();
  for (const d of deps.values()) d.interactionTypes.forEach((t) => types.add(t));
  const position = new Map(order.map((s, i) => [s.id, i]));
  const dependents = order.map(() => [] as number[]);
  order.forEach((s, i) => {
    for (const r of deps.get(s.id)!.segments) {
      const p = position.get(r);
      if (p !== undefined) dependents[p]!.push(i);
    }
  });
  const timeDependent = order.flatMap((s, i) => (deps.get(s.id)!.timeDependent ? [i] : []));
  return { order, deps, interactionTypes: [...types], position, dependents, timeDependent };
}

/** Positions (in `plan.order`) of the segments a change from `source` reaches directly. */
export function reachedBy(plan: LivePlan, source: string): number[] {
  return plan.order.flatMap((s, i) => (affectedBy(plan.deps.get(s.id)!, source) ? [i] : []));
}

/** Does a change from `source` ('contact', 'account', 'interaction:<type>', 'deleted', 'segment:<id>') affect this segment? */
export function affectedBy(deps: SegmentDependencies, source: string): boolean {
  // A written contact may be new (or back after a delete): whether it exists is what every
  // segment reads first, so its own record affects them all, not only profile conditions.
  if (source === 'deleted' || source === 'contact') return true;
  if (source === 'account') return deps.profile;
  if (source.startsWith('interaction:')) return deps.interactionTypes.has(source.slice('interaction:'.length));
  if (source.startsWith('segment:')) return deps.segments.has(source.slice('segment:'.length));
  return false;
}
