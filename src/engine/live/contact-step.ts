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

/** Positions still to evaluate; shared (evaluation is synchronous) and left all zero after each call. */
let pending = new Uint8Array(0);

/**
 * Re-evaluate one contact's live segments at instant `at`, in dependency order: first the
 * segments at the positions `direct` names (in `plan.order`), then (cascading) the segments
 * built on any that changed. `members` is the contact's current membership, updated in place.
 * Its entries and exits are appended to `changes`; returns every segment evaluated
 * (triggered directly or through a changed part).
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
  changes: PendingChange[],
): SegmentRecord[] {
  const evaluated: SegmentRecord[] = [];
  const n = plan.order.length;
  if (pending.length < n) pending = new Uint8Array(n);
  let first = n;
  for (const i of direct) {
    pending[i] = 1;
    if (i < first) first = i;
  }
  let evaluator: ContactEvaluator | undefined;
  try {
    // Dependents always come later in the order, so one forward pass settles the cascade.
    for (let i = first; i < n; i++) {
      if (pending[i] === 0) continue;
      pending[i] = 0;
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
  } catch (e) {
    pending.fill(0); // the next call must start clean
    throw e;
  }
  return evaluated;
}
