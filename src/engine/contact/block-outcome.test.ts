import { describe, expect, it } from 'vitest';
import { blockOutcome, blockOutcomes } from './block-outcome.js';

describe('what a block did to the result', () => {
  it('judges a but-not block by its effect: keeping the contact is not a failure', () => {
    expect(blockOutcome({ relation: 'but_not', matched: false }, true)).toBe('kept');
    expect(blockOutcome({ relation: 'but_not', matched: true }, true)).toBe('excluded');
    expect(blockOutcome({ relation: 'but_not', matched: true }, false)).toBe('already_out');
    expect(blockOutcome({ relation: 'but_not', matched: false }, false)).toBe('already_out');
  });

  it('judges every other block by its own match', () => {
    expect(blockOutcome({ matched: true }, false)).toBe('matched');
    expect(blockOutcome({ relation: 'and_also', matched: false }, true)).toBe('unmatched');
    expect(blockOutcome({ relation: 'or', matched: true }, false)).toBe('matched');
  });

  it('takes the result so far from the block before', () => {
    expect(
      blockOutcomes([
        { matched: true, running: true },
        { relation: 'but_not', matched: false, running: true },
        { relation: 'but_not', matched: true, running: false },
        { relation: 'but_not', matched: true, running: false },
      ]),
    ).toEqual(['matched', 'kept', 'excluded', 'already_out']);
  });
});
