import type { Query } from '../../definition/ast.js';
import { SegmataError } from '../../errors.js';
import type { SchemaRegistry } from '../../schema/registry.js';
import type { SqlRunner } from '../../store/store.js';
import { isMaintained } from '../segments/service.js';
import type { SegmentRecord } from '../segments/types.js';
import { ContactEvaluator, type ContactData } from './evaluate.js';
import type { BlockTrace } from './trace.js';
import { loadContactData } from './load.js';

export interface Explanation {
  segment: { id: string; name: string; status: string; type: string };
  contactId: string;
  contactExists: boolean;
  /** The verdict of evaluating the definition now, for this contact. */
  member: boolean;
  /** For maintained segments (live, stopped, static): is the contact in the stored membership? */
  storedMember: boolean | null;
  blocks: BlockTrace[];
  now: Date;
}

function interactionTypesOf(query: Query | undefined, all: Map<string, SegmentRecord>, seen = new Set<string>()): string[] {
  const out = new Set<string>();
  const visit = (blocks: Query['blocks']): void => {
    for (const b of blocks) {
      if (b.kind === 'behavioral') out.add(b.interaction);
      else if (b.kind === 'group') visit(b.blocks);
      else if (b.kind === 'segment' && !seen.has(b.segment)) {
        seen.add(b.segment);
        const s = all.get(b.segment);
        if (s && !isMaintained(s)) interactionTypesOf(s.definition.query, all, seen).forEach((t) => out.add(t));
      }
    }
  };
  if (query) visit(query.blocks);
  return [...out];
}

/** Why is (or isn't) this contact a member of this segment, block by block? */
export async function explainContact(
  store: SqlRunner,
  registry: SchemaRegistry,
  segments: SegmentRecord[],
  segmentId: string,
  contactId: string,
  now: Date,
): Promise<Explanation> {
  const byId = new Map(segments.map((s) => [s.id, s]));
  const segment = byId.get(segmentId);
  if (!segment) throw new SegmataError('not_found', `segment "${segmentId}" does not exist`);
  const stored = await store.all<{ segment_id: string }>('SELECT segment_id FROM memberships WHERE contact_id = $1', [contactId]);
  const storedIn = new Set(stored.map((r) => r.segment_id));
  const data: ContactData = (await loadContactData(store, [contactId], interactionTypesOf(segment.definition.query, byId))).get(contactId) ?? {
    contact: undefined,
    related: {},
    interactions: [],
  };
  const evaluator: ContactEvaluator = new ContactEvaluator({
    registry,
    now,
    segmentMember(id: string): boolean {
      const s = byId.get(id);
      if (!s) return false;
      if (isMaintained(s) || !s.definition.query) return storedIn.has(id);
      return evaluator.evaluate(s.definition.query, data).member;
    },
  });
  const base = {
    segment: { id: segment.id, name: segment.name, status: segment.status, type: segment.type },
    contactId,
    contactExists: data.contact !== undefined,
    storedMember: isMaintained(segment) || segment.status === 'stopped' ? storedIn.has(segmentId) : null,
    now,
  };
  if (segment.type === 'static' || !segment.definition.query) {
    return { ...base, member: storedIn.has(segmentId), blocks: [] };
  }
  const verdict = evaluator.evaluate(segment.definition.query, data);
  return { ...base, member: verdict.member, blocks: verdict.blocks };
}
