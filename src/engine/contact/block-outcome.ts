import type { BlockTrace } from './trace.js';

/**
 * What a block did to the result, in the words a marketer reads it in. A `but not` block is
 * judged by its effect, not by its own match: matching nothing is how it keeps a contact, so
 * "does not match" there is good news, not a failure.
 *
 * - `matched` / `unmatched`: the first block, `or` and `and also` blocks, by their own verdict;
 * - `kept`: a `but not` block the contact does not match, while it was in: it stays in;
 * - `excluded`: a `but not` block the contact matches, while it was in: this block takes it out;
 * - `already_out`: a `but not` block after the contact was already out: it changes nothing.
 */
export type BlockOutcome = 'matched' | 'unmatched' | 'kept' | 'excluded' | 'already_out';

/** `before`: the result so far before this block (the previous block's `running`; false for the first). */
export function blockOutcome(trace: Pick<BlockTrace<unknown>, 'relation' | 'matched'>, before: boolean): BlockOutcome {
  if (trace.relation !== 'but_not') return trace.matched ? 'matched' : 'unmatched';
  if (!before) return 'already_out';
  return trace.matched ? 'excluded' : 'kept';
}

/** The outcome in words: what it means for the contact. */
export const OUTCOME_WORDS: Record<BlockOutcome, string> = {
  matched: 'matches',
  unmatched: 'does not match',
  kept: 'not excluded: the contact does not match it, so this block keeps the contact',
  excluded: 'excluded by this block: the contact matches it',
  already_out: 'changes nothing: the contact was already out',
};

/** The outcome of each of a list of blocks, in order (each after the ones before it). */
export function blockOutcomes(traces: readonly Pick<BlockTrace<unknown>, 'relation' | 'matched' | 'running'>[]): BlockOutcome[] {
  return traces.map((t, i) => blockOutcome(t, i > 0 && traces[i - 1]!.running));
}
