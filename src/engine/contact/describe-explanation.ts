import type { Block } from '../../definition/ast.js';
import { RELATION_WORDS, describeBlock, describeComparison, describeValue } from '../../definition/describe.js';
import type { BlockTrace, ConditionTrace } from './trace.js';
import type { Explanation } from './explain.js';

const mark = (ok: boolean): string => (ok ? '✓' : '✗');

function conditionLines(t: ConditionTrace, indent: string): string[] {
  if (t.kind === 'comparison') {
    const actual = t.actual === null || t.actual === undefined ? 'empty' : describeValue(t.actual);
    return [`${indent}${mark(t.result)} ${describeComparison(t)} — actual: ${actual}`];
  }
  const head = t.kind === 'all' ? 'all of' : t.kind === 'any' ? 'any of' : 'not';
  return [`${indent}${mark(t.result)} ${head}:`, ...t.children.flatMap((c) => conditionLines(c, `${indent}    `))];
}

function blockLines(traces: BlockTrace[], blocks: Block[], indent: string): string[] {
  return traces.flatMap((t) => {
    const block = blocks[t.index]!;
    const rel = t.relation ? `${RELATION_WORDS[t.relation]} ` : '';
    const count = t.count !== undefined ? ` (${t.count} matching)` : '';
    const head = `${indent}${t.index + 1}. ${rel}${describeBlock(block)}: ${t.matched ? 'matches' : 'does not match'}${count} → so far ${t.running ? 'IN' : 'OUT'}`;
    const details = t.condition ? conditionLines(t.condition, `${indent}     `) : [];
    const children = t.children && block.kind === 'group' ? blockLines(t.children, block.blocks, `${indent}     `) : [];
    return [head, ...details, ...children];
  });
}

/** Explain as a marketer reads it: each block's verdict and which comparison failed. */
export function describeExplanation(e: Explanation, blocks: Block[]): string {
  const lines = [`Segment "${e.segment.name}" (${e.segment.id}, ${e.segment.type}, ${e.segment.status}) — contact ${e.contactId}, as of ${e.now.toISOString()}`];
  if (!e.contactExists) {
    lines.push(`Contact "${e.contactId}" does not exist, so it is not a member.`);
    return lines.join('\n');
  }
  if (e.segment.type === 'static') {
    lines.push(e.member ? 'Member: it was added to this static segment by hand.' : 'Not a member: it has not been added to this static segment.');
    return lines.join('\n');
  }
  lines.push(...blockLines(e.blocks, blocks, '  '));
  lines.push(`Result: ${e.member ? 'MEMBER' : 'NOT A MEMBER'}`);
  if (e.storedMember !== null && e.storedMember !== e.member) {
    lines.push(`Note: the stored membership says ${e.storedMember ? 'member' : 'not a member'}; it was last evaluated before this instant (refresh to update).`);
  }
  return lines.join('\n');
}
