import type { SchemaRegistry } from '../../schema/registry.js';
import { ContactEvaluator, type ContactData } from '../contact/evaluate.js';
import type { ChangeCause } from '../segments/types.js';
import { affectedBy, type LivePlan } from './dependencies.js';

export interface PendingChange {
  segmentId: string;
  contactId: string;
  change: 'entered' | 'exited';
  at: Date;
  cause: ChangeCause;
}

/**
 * Re-evaluate one contact's live segments at instant `at`, in dependency order: first the
 * segments the trigger affects, then (cascading) the segments built on any that changed.
 * `members` is the contact's current membership and is updated in place.
 */
export function evaluateContactAt(
  plan: LivePlan,
  registry: SchemaRegistry,
  contactId: string,
  data: ContactData,
  members: Set<string>,
  at: Date,
  trigger: { sources: Set<string> } | { time: true },
  cause: ChangeCause,
): PendingChange[] {
  const changes: PendingChange[] = [];
  const changedSegments = new Set<string>();
  const evaluator = new ContactEvaluator({ registry, now: at, segmentMember: (id) => members.has(id) });
  for (const s of plan.order) {
    const deps = plan.deps.get(s.id)!;
    const direct = 'time' in trigger ? deps.timeDependent : [...trigger.sources].some((src) => affectedBy(deps, src));
    const cascaded = [...deps.segments].some((r) => changedSegments.has(r));
    if (!direct && !cascaded) continue;
    const isMember = evaluator.evaluate(s.definition.query!, data).member;
    if (isMember === members.has(s.id)) continue;
    if (isMember) members.add(s.id);
    else members.delete(s.id);
    changedSegments.add(s.id);
    changes.push({ segmentId: s.id, contactId, change: isMember ? 'entered' : 'exited', at, cause });
  }
  return changes;
}
