import { describe, expect, it } from 'vitest';
import { noun, plural } from './format';
import { rangeText } from './Pager';

describe('words agree in number', () => {
  it('one member, many members, no members', () => {
    expect(plural(1, 'member')).toBe('1 member');
    expect(plural(0, 'member')).toBe('0 members');
    expect(plural(4189, 'member')).toBe('4,189 members');
    expect(plural(2, 'match', 'matches')).toBe('2 matches');
  });
  it('the word alone, for a count shown apart from it (an estimate, a duration\'s unit)', () => {
    expect(noun(1, 'contact')).toBe('contact');
    expect(noun(0, 'contact')).toBe('contacts');
    expect(noun(1, 'day')).toBe('day');
    expect(noun(30, 'day')).toBe('days');
    expect(noun(1, 'already a member', 'already members')).toBe('already a member');
    expect(noun(Number.NaN, 'time')).toBe('times');
  });
});

describe('the range a page shows', () => {
  it('says which rows are shown, of how many when known', () => {
    expect(rangeText(1, 25, 25, 4189)).toBe('1–25 of 4,189');
    expect(rangeText(2, 25, 25, 4189)).toBe('26–50 of 4,189');
    expect(rangeText(168, 25, 14, 4189)).toBe('4,176–4,189 of 4,189');
    expect(rangeText(2, 25, 25, undefined)).toBe('26–50');
    expect(rangeText(1, 25, 0, 0)).toBe('None');
  });
});
