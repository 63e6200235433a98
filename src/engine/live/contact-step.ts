import type { SchemaRegistry } from '../../schema/registry.js';
import { ContactEvaluator, type ContactData } from '../contact/evaluate.js';
import type { ChangeCause } from '../segments/types.js';
import type { SegmentDependencies, LivePlan } from './dependencies.js';
import type { SegmentRecord } from '../segments/types.js';

export interface PendingChange {
  segmentId: string;
  contactId: string;
  change: 'entered' | 'exited';
  at: Date;
  cause: ChangeCause;
}

export interface ContactStep {
  changes: PendingChange[];
  /** Every segment evaluated (triggered directly or through a changed part). */
  evaluated: SegmentRecord[];
}

/**
 * Re-evaluate one contact's live segments at instant `at`, in dependency order: first the
 * segments `direct` selects, then (cascading) the segments built on any that changed.
 * `members` is the contact's current membership and is updated in place.
 */
export function evaluateContactAt(
  plan: LivePlan,
  registry: SchemaRegistry,
  contactId: string,
  data: ContactData,
  members: Set<string>,
  at: Date,
  direct: (segment: SegmentRecord, deps: SegmentDependencies) => boolean,
  cause: ChangeCause,
): ContactStep {
  const changes: PendingChange[] = [];
  const evaluated: SegmentRecord[] = [];
  const changedSegments = new Set<string>();
  let evaluator: ContactEvaluator | undefined;
  for (const s of plan.order) {
    const deps = plan.deps.get(s.id)!;
    if (!direct(s, deps) && ![...deps.segments].some((r) => changedSegments.has(r))) continue;
    evaluator ??= new ContactEvaluator({ registry, now: at, segmentMember: (id) => members.has(id) });
    evaluated.push(s);
    const isMember = evaluator.evaluate(s.definition.query!, data).member;
    if (isMember === members.has(s.id)) continue;
    if (isMember) members.add(s.id);
    else members.delete(s.id);
    changedSegments.add(s.id);
    changes.push({ segmentId: s.id, contactId, change: isMember ? 'entered' : 'exited', at, cause });
  }
  return { changes, evaluated };
}
