import { describe, expect, it } from 'vitest';
import type { Block, Count, Duration } from './ast.js';
import { asSentence, describeBlocks, describeCondition, outlineBlocks, outlineText } from './describe.js';
import { makeLabels } from '../schema/labels.js';

const labels = makeLabels([{ entity: 'contact', name: 'state', label: 'US state' }], new Map([['unsub', 'Unsubscribed people']]));

const NESTED: Block[] = [
  {
    kind: 'profile',
    where: {
      all: [
        { attr: 'state', op: 'eq', value: 'AZ' },
        { any: [{ attr: 'account.industry', op: 'eq', value: 'Software' }, { attr: 'job_title', op: 'contains', value: 'CTO' }] },
        { not: { attr: 'email', op: 'ends_with', value: '.test' } },
      ],
    },
  },
  {
    relation: 'and_also',
    kind: 'group',
    blocks: [
      { kind: 'behavioral', interaction: 'email_open', window: { last: { amount: 30, unit: 'days' } } },
      { relation: 'or', kind: 'behavioral', interaction: 'email_click', where: { attr: 'link_url', op: 'contains', value: '/pricing' }, count: { op: 'gte', value: 2 } },
    ],
  },
  { relation: 'but_not', kind: 'segment', segment: 'unsub' },
];

describe('a definition in plain words', () => {
  it('reads names under their labels and segments under their names, with groups in parentheses and blocks after semicolons', () => {
    expect(describeBlocks(NESTED, labels)).toBe(
      'contacts whose US state is "AZ" and (Account › Industry is "Software" or Job title contains "CTO") and not (Email ends with ".test"); ' +
        'and also (contacts with Email opened at least once in the last 30 days; or contacts with Email clicked (where Link URL contains "/pricing") at least 2 times); ' +
        'but not members of segment "Unsubscribed people"',
    );
  });

  it('outlines the same definition level by level', () => {
    expect(outlineText(outlineBlocks(NESTED, labels))).toEqual([
      '- contacts for whom all of these hold:',
      '  - US state is "AZ"',
      '  - at least one of these holds:',
      '    - Account › Industry is "Software"',
      '    - Job title contains "CTO"',
      '  - this does not hold:',
      '    - Email ends with ".test"',
      '- and also: the contacts of this group:',
      '  - contacts with Email opened at least once in the last 30 days',
      '  - or: contacts with Email clicked (where Link URL contains "/pricing") at least 2 times',
      '- but not: members of segment "Unsubscribed people"',
    ]);
  });

  it('says an absence as one, and that a count admitting zero includes contacts with none', () => {
    const counted = (op: 'eq' | 'lt' | 'lte', value: number): Block[] => [
      { kind: 'behavioral', interaction: 'email_open', window: { last: { amount: 1, unit: 'days' } }, count: { op, value } },
    ];
    expect(describeBlocks(counted('eq', 0))).toBe('contacts with no Email opened in the last 1 day');
    expect(describeBlocks(counted('lt', 1))).toBe('contacts with no Email opened in the last 1 day');
    expect(describeBlocks(counted('lte', 2))).toBe('contacts with Email opened at most 2 times in the last 1 day (including none)');
    expect(describeBlocks(counted('eq', 1))).toBe('contacts with Email opened exactly once in the last 1 day');
  });

  it('says a window relative to now as "between … and … ago"', () => {
    const lapsed = (from_ago: Duration, to_ago: Duration, count?: Count): Block[] => [
      { kind: 'behavioral', interaction: 'email_open', window: { from_ago, to_ago }, ...(count ? { count } : {}) },
    ];
    expect(describeBlocks(lapsed({ amount: 90, unit: 'days' }, { amount: 30, unit: 'days' }))).toBe('contacts with Email opened at least once between 90 and 30 days ago');
    expect(describeBlocks(lapsed({ amount: 2, unit: 'weeks' }, { amount: 1, unit: 'days' }))).toBe('contacts with Email opened at least once between 2 weeks and 1 day ago');
    expect(describeBlocks(lapsed({ amount: 90, unit: 'days' }, { amount: 30, unit: 'days' }, { op: 'eq', value: 0 }))).toBe('contacts with no Email opened between 90 and 30 days ago');
  });

  it('keeps the top level of a condition bare and a lone negation readable', () => {
    expect(describeCondition({ any: [{ attr: 'state', op: 'eq', value: 'AZ' }, { attr: 'state', op: 'eq', value: 'CA' }] })).toBe('State is "AZ" or State is "CA"');
    expect(describeBlocks([{ kind: 'profile', where: { not: { attr: 'state', op: 'is_empty' } } }])).toBe('contacts where not (State is empty)');
  });

  it('makes a sentence of a description', () => {
    expect(asSentence('contacts whose State is "AZ"')).toBe('Contacts whose State is "AZ".');
    expect(asSentence('Done!')).toBe('Done!');
  });
});
