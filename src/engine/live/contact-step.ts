import type { SchemaRegistry } from '../../schema/registry.js';
import { ContactEvaluator, type ContactData } from '../contact/evaluate.js';
import type { ChangeCause } from '../segments/types.js';
import type { LivePlan } from './dependencies.js';
import type { MemberSet } from './source.js';
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
 * segments at the positions `direct` names (in `plan.order`), then (cascading) the segments
 * built on any that changed. `members` is the contact's current membership, updated in place.
 */
export function evaluateContactAt(
  plan: LivePlan,
  registry: SchemaRegistry,
  contactId: string,
  data: ContactData,
  members: MemberSet,
  at: Date,
  direct: Iterable<number>,
  cause: ChangeCause,
): ContactStep {
  const changes: PendingChange[] = [];
  const evaluated: SegmentRecord[] = [];
  const pending = new Uint8Array(plan.order.length);
  let first = pending.length;
  for (const i of direct) {
    pending[i] = 1;
    if (i < first) first = i;
  }
  let evaluator: ContactEvaluator | undefined;
  // Dependents always come later in the order, so one forward pass settles the cascade.
  for (let i = first; i < pending.length; i++) {
    if (pending[i] === 0) continue;
    const s = plan.order[i]!;
    evaluator ??= new ContactEvaluator({ registry, now: at, segmentMember: (id) => members.has(id) });
    evaluated.push(s);
    const isMember = evaluator.isMember(s.definition.query!, data);
    if (isMember === members.has(s.id)) continue;
    if (isMember) members.add(s.id);
    else members.delete(s.id);
    for (const d of plan.dependents[i]!) pending[d] = 1;
    changes.push({ segmentId: s.id, contactId, change: isMember ? 'entered' : 'exited', at, cause });
  }
  return { changes, evaluated };
}
