import type { Block } from '../../definition/ast.js';
import { RELATION_WORDS, describeBlock, describeComparison, describeValue, plural } from '../../definition/describe.js';
import { DEFAULT_LABELS, type Labels } from '../../schema/labels.js';
import type { RecordKind } from '../../schema/types.js';
import { blockOutcomes, OUTCOME_WORDS } from './block-outcome.js';
import type { BlockTrace, ConditionTrace } from './trace.js';
import type { Explanation } from './explain.js';

const mark = (ok: boolean): string => (ok ? '✓' : '✗');

function conditionLines(t: ConditionTrace, indent: string, labels: Labels, kind: RecordKind): string[] {
  if (t.kind === 'comparison') {
    const actual = t.actual === null || t.actual === undefined ? 'empty' : describeValue(t.actual);
    return [`${indent}${mark(t.result)} ${describeComparison(t, labels, kind)} — actual: ${actual}`];
  }
  const head = t.kind === 'all' ? 'all of' : t.kind === 'any' ? 'any of' : 'not';
  return [`${indent}${mark(t.result)} ${head}:`, ...t.children.flatMap((c) => conditionLines(c, `${indent}    `, labels, kind))];
}

function blockLines(traces: BlockTrace[], blocks: Block[], indent: string, labels: Labels): string[] {
  const outcomes = blockOutcomes(traces);
  return traces.flatMap((t, i) => {
    const block = blocks[t.index]!;
    const rel = t.relation ? `${RELATION_WORDS[t.relation]} ` : '';
    const count = t.count !== undefined ? ` (${plural(t.count, 'matching interaction')})` : '';
    const head = `${indent}${t.index + 1}. ${rel}${describeBlock(block, labels)}: ${OUTCOME_WORDS[outcomes[i]!]}${count} → so far ${t.running ? 'IN' : 'OUT'}`;
    const kind: RecordKind = block.kind === 'behavioral' ? 'interaction' : 'contact';
    const details = t.condition ? conditionLines(t.condition, `${indent}     `, labels, kind) : [];
    const children = t.children && block.kind === 'group' ? blockLines(t.children, block.blocks, `${indent}     `, labels) : [];
    return [head, ...details, ...children];
  });
}

/**
 * Explain as a marketer reads it: each block's verdict and which comparison failed, names under
 * their labels. A `but not` block reads by its effect (kept, excluded), not by its own match.
 */
export function describeExplanation(e: Explanation, blocks: Block[], labels: Labels = DEFAULT_LABELS): string {
  const lines = [`Segment "${e.segment.name}" (${e.segment.id}, ${e.segment.type}, ${e.segment.status}) — contact ${e.contactId}, as of ${e.now.toISOString()}`];
  if (!e.contactExists) {
    lines.push(`Contact "${e.contactId}" does not exist, so it is not a member.`);
    return lines.join('\n');
  }
  if (e.segment.type === 'static') {
    lines.push(e.member ? 'Member: it was added to this static segment by hand.' : 'Not a member: it has not been added to this static segment.');
    return lines.join('\n');
  }
  lines.push(...blockLines(e.blocks, blocks, '  ', labels));
  lines.push(`Result: ${e.member ? 'MEMBER' : 'NOT A MEMBER'}`);
  if (e.storedMember !== null && e.storedMember !== e.member) {
    lines.push(`Note: the stored membership says ${e.storedMember ? 'member' : 'not a member'}; it was last evaluated before this instant (refresh to update).`);
  }
  return lines.join('\n');
}
