import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block, Condition, Query } from '../src/definition/ast.js';
import type { Engine } from '../src/engine/engine.js';
import { TEST_NOW, memoryEngine } from './helpers/engine.js';
import { changeLog, evaluate, runMemberSource, seed, storedMembers, type DataSet } from './helpers/seed.js';
import { referenceMembers, sorted, type ReferenceContext } from './reference/evaluator.js';

/**
 * Blocks: relations (left to right), groups, behavioral windows and counts, and segment
 * references to live, static, draft and stopped segments. now = 2024-06-01T12:00:00Z.
 */

const NOW = new Date(TEST_NOW);
const at = (offsetMs: number): string => new Date(NOW.getTime() + offsetMs).toISOString();
const SEC = 1000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const DATA: DataSet = {
  contacts: [
    { id: 'c1', state: 'AZ', score: 10 },
    { id: 'c2', state: 'AZ', score: 60 },
    { id: 'c3', state: 'AZ', score: null },
    { id: 'c4', state: 'CA', score: 80 },
    { id: 'c5', state: 'CA', score: 5 },
    { id: 'c6', state: 'NY', score: 90 },
  ],
  interactions: [
    // c1: one open exactly at now - 30 days (outside "last 30 days"), one just inside.
    { contact_id: 'c1', type: 'email_open', occurred_at: at(-30 * DAY), campaign_id: 'spring' },
    { contact_id: 'c1', type: 'email_open', occurred_at: at(-29 * DAY), campaign_id: 'spring' },
    // c2: an open exactly at now (inside).
    { contact_id: 'c2', type: 'email_open', occurred_at: at(0), campaign_id: 'SPRING' },
    // c3: an open after now (never counted) and an old one.
    { contact_id: 'c3', type: 'email_open', occurred_at: at(SEC), campaign_id: null },
    { contact_id: 'c3', type: 'email_open', occurred_at: at(-45 * DAY), campaign_id: null },
    // c4: three recent opens, the first exactly at now - 1 day, and a form.
    { contact_id: 'c4', type: 'email_open', occurred_at: at(-DAY), campaign_id: 'summer' },
    { contact_id: 'c4', type: 'email_open', occurred_at: at(-2 * DAY), campaign_id: 'summer' },
    { contact_id: 'c4', type: 'email_open', occurred_at: at(-3 * DAY), campaign_id: 'summer' },
    { contact_id: 'c4', type: 'form_submit', occurred_at: at(-10 * DAY), form_id: 'f1' },
    // c5: nothing. c6: an old open and a form.
    { contact_id: 'c6', type: 'email_open', occurred_at: at(-60 * DAY), campaign_id: null },
    { contact_id: 'c6', type: 'form_submit', occurred_at: at(-5 * DAY), form_id: 'f2' },
    // Not a contact: interactions of unknown contacts never make members.
    { contact_id: 'ghost', type: 'email_open', occurred_at: at(-HOUR), campaign_id: 'spring' },
    { contact_id: 'ghost', type: 'form_submit', occurred_at: at(-HOUR), form_id: 'f1' },
  ],
};

const EVERYONE = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];

const profile = (where: Condition, relation?: Block['relation']): Block => ({ kind: 'profile', where, ...(relation ? { relation } : {}) });
// A = {c1, c2, c3}, B = {c2, c4, c6}, C = {c1, c5}
const A = { attr: 'state', op: 'eq', value: 'AZ' } as const;
const B = { attr: 'score', op: 'gte', value: 50 } as const;
const C = { attr: 'score', op: 'lt', value: 50 } as const;
const LAST_30_DAYS = { last: { amount: 30, unit: 'days' } } as const;

const opens = (extra: Partial<Extract<Block, { kind: 'behavioral' }>> = {}): Block => ({ kind: 'behavioral', interaction: 'email_open', ...extra });

describe('blocks', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await memoryEngine();
    await seed(engine, DATA);
  });

  afterAll(async () => {
    await engine?.close();
  });

  /** SQL (estimate + member source) and the reference both give `expected`. */
  const check = async (blocks: Block[], expected: string[], segments?: ReferenceContext['segments']): Promise<void> => {
    const query: Query = { blocks };
    expect(await evaluate(engine, query)).toEqual(expected);
    const data = { contacts: DATA.contacts!, accounts: [], interactions: DATA.interactions! };
    expect(sorted(referenceMembers(query, data, { now: NOW, segments }))).toEqual(expected);
  };

  describe('relations are applied left to right', () => {
    it('or is the union', () => check([profile(A), profile(B, 'or')], ['c1', 'c2', 'c3', 'c4', 'c6']));
    it('and_also is the intersection', () => check([profile(A), profile(B, 'and_also')], ['c2']));
    it('but_not is the difference', () => check([profile(A), profile(B, 'but_not')], ['c1', 'c3']));
    it('A or B and_also C is (A or B) and_also C, not A or (B and_also C)', () =>
      check([profile(A), profile(B, 'or'), profile(C, 'and_also')], ['c1']));
    it('A but_not B and_also C is (A but_not B) and_also C', () =>
      check([profile(A), profile(B, 'but_not'), profile(C, 'and_also')], ['c1']));
    it('A and_also B or C is (A and_also B) or C', () => check([profile(A), profile(B, 'and_also'), profile(C, 'or')], ['c1', 'c2', 'c5']));
    it('profile and behavioral blocks combine', () => check([profile(A), { ...opens({ window: LAST_30_DAYS }), relation: 'and_also' }], ['c1', 'c2']));
  });

  describe('groups are parenthesised', () => {
    const group = (blocks: Block[], relation?: Block['relation']): Block => ({ kind: 'group', blocks, ...(relation ? { relation } : {}) });
    it('A or (B and_also C)', () => check([profile(A), group([profile(B), profile(C, 'and_also')], 'or')], ['c1', 'c2', 'c3']));
    it('A but_not (B or C)', () => check([profile(A), group([profile(B), profile(C, 'or')], 'but_not')], ['c3']));
    it('a group as the first block', () => check([group([profile(B), profile(C, 'and_also')]), profile(A, 'or')], ['c1', 'c2', 'c3']));
    it('nested groups: A and_also (B or (C but_not A))', () =>
      check([profile(A), group([profile(B), group([profile(C), profile(A, 'but_not')], 'or')], 'and_also')], ['c2']));
    it('a group of one block', () => check([group([profile(A)])], ['c1', 'c2', 'c3']));
  });

  describe('behavioral windows: (now - d, now], never after now', () => {
    it('last 30 days: exactly now - 30 days is out, exactly now is in, after now is out', () =>
      check([opens({ window: LAST_30_DAYS })], ['c1', 'c2', 'c4']));
    it('last 1 day: exactly now - 1 day is out; unknown contacts never appear', () =>
      check([opens({ window: { last: { amount: 1, unit: 'days' } } })], ['c2']));
    it('last 24 hours equals last 1 day', () => check([opens({ window: { last: { amount: 24, unit: 'hours' } } })], ['c2']));
    it('last 1 minute still holds an interaction exactly at now', () => check([opens({ window: { last: { amount: 1, unit: 'minutes' } } })], ['c2']));
    it('last 2 weeks', () => check([opens({ window: { last: { amount: 2, unit: 'weeks' } } })], ['c2', 'c4']));
    it('no window: every interaction up to now', () => check([opens()], ['c1', 'c2', 'c3', 'c4', 'c6']));
    it('from/to is inclusive at both ends', () =>
      check([opens({ window: { from: at(-30 * DAY), to: at(-29 * DAY) }, count: { op: 'eq', value: 2 } })], ['c1']));
    it('from/to reaching past now still ignores the future', () =>
      check([opens({ window: { from: '2024-06-01', to: '2024-06-02' } })], ['c2']));
    it('from/to entirely in the future matches nothing', () =>
      check([opens({ window: { from: at(SEC), to: at(DAY) } })], []));
    it('another interaction type', () => check([{ kind: 'behavioral', interaction: 'form_submit' }], ['c4', 'c6']));
  });

  describe('counts', () => {
    const counted = (op: 'gte' | 'gt' | 'eq' | 'lte' | 'lt', value: number): Block[] => [opens({ window: LAST_30_DAYS, count: { op, value } })];
    // Opens in the last 30 days: c1 1, c2 1, c3 0, c4 3, c5 0, c6 0.
    it('gte 2', () => check(counted('gte', 2), ['c4']));
    it('gt 1', () => check(counted('gt', 1), ['c4']));
    it('eq 1', () => check(counted('eq', 1), ['c1', 'c2']));
    it('eq 3', () => check(counted('eq', 3), ['c4']));
    it('gte 1 is the default', () => check(counted('gte', 1), ['c1', 'c2', 'c4']));
    it('eq 0 admits zero: contacts without any such interaction', () => check(counted('eq', 0), ['c3', 'c5', 'c6']));
    it('lt 1 admits zero', () => check(counted('lt', 1), ['c3', 'c5', 'c6']));
    it('lte 1 admits zero and one', () => check(counted('lte', 1), ['c1', 'c2', 'c3', 'c5', 'c6']));
    it('lt 3', () => check(counted('lt', 3), ['c1', 'c2', 'c3', 'c5', 'c6']));
    it('gte 0 is every contact', () => check(counted('gte', 0), EVERYONE));
    it('eq 0 of a type nobody has is every contact', () =>
      check([{ kind: 'behavioral', interaction: 'event_checkin', count: { op: 'eq', value: 0 } }], EVERYONE));
    it('a zero-admitting block in a relation', () => check([profile(A), { ...counted('eq', 0)[0]!, relation: 'and_also' }], ['c3']));
  });

  describe('conditions on interaction properties', () => {
    it('eq is case-sensitive', () => check([opens({ where: { attr: 'campaign_id', op: 'eq', value: 'spring' } })], ['c1']));
    it('contains is case-insensitive', () => check([opens({ where: { attr: 'campaign_id', op: 'contains', value: 'spring' } })], ['c1', 'c2']));
    it('is_empty', () => check([opens({ where: { attr: 'campaign_id', op: 'is_empty' } })], ['c3', 'c6']));
    it('where, window and count together', () => {
      const where = { attr: 'campaign_id', op: 'eq', value: 'spring' } as const;
      return Promise.all([
        check([opens({ where, count: { op: 'eq', value: 2 } })], ['c1']),
        check([opens({ where, window: LAST_30_DAYS, count: { op: 'eq', value: 2 } })], []),
      ]);
    });
    it('not is the complement within the interactions (null properties included)', () =>
      check([opens({ where: { not: { attr: 'campaign_id', op: 'eq', value: 'summer' } }, window: LAST_30_DAYS, count: { op: 'eq', value: 0 } })], ['c3', 'c4', 'c5', 'c6']));
    it('a form id', () => check([{ kind: 'behavioral', interaction: 'form_submit', where: { attr: 'form_id', op: 'in', value: ['f1'] } }], ['c4']));
  });

  it('estimate counts the total and each top-level block on its own', async () => {
    const estimate = await engine.segments.estimate({
      name: 'counts',
      type: 'dynamic',
      query: { blocks: [profile(A), { ...opens({ window: LAST_30_DAYS }), relation: 'and_also' }, profile(B, 'or')] },
    });
    expect(estimate.total).toBe(4); // ({c1,c2,c3} ∩ {c1,c2,c4}) ∪ {c2,c4,c6}
    expect(estimate.blocks).toEqual([
      { index: 0, kind: 'profile', count: 3 },
      { index: 1, kind: 'behavioral', count: 3 },
      { index: 2, kind: 'profile', count: 3 },
    ]);
  });
});

describe('segment blocks', () => {
  let engine: Engine;
  const q = (blocks: Block[]): Promise<string[]> => evaluate(engine, { blocks });
  const seg = (segment: string, relation?: Block['relation']): Block => ({ kind: 'segment', segment, ...(relation ? { relation } : {}) });

  beforeAll(async () => {
    engine = await memoryEngine();
    await seed(engine, DATA);
    await engine.segments.create({ id: 'az', name: 'AZ', type: 'dynamic', query: { blocks: [profile(A)] } });
    await engine.segments.goLive('az');
    await engine.segments.create({ id: 'vip', name: 'VIP', type: 'static', members: ['c5', 'c6'] });
    await engine.segments.create({ id: 'high', name: 'High score', type: 'dynamic', query: { blocks: [profile(B)] } });
  });

  afterAll(async () => {
    await engine?.close();
  });

  it('reads a live segment', async () => {
    expect(await q([seg('az')])).toEqual(['c1', 'c2', 'c3']);
    expect(await q([seg('az'), profile(B, 'and_also')])).toEqual(['c2']);
  });

  it('reads a static segment', async () => {
    expect(await q([seg('vip')])).toEqual(['c5', 'c6']);
    expect(await q([profile(A), seg('vip', 'or')])).toEqual(['c1', 'c2', 'c3', 'c5', 'c6']);
    expect(await q([profile(B), seg('vip', 'but_not')])).toEqual(['c2', 'c4']);
  });

  it('reads a draft segment by evaluating its definition', async () => {
    expect(await q([seg('high')])).toEqual(['c2', 'c4', 'c6']);
    expect(await q([seg('az'), seg('high', 'and_also')])).toEqual(['c2']);
  });

  it('follows references through drafts to live segments', async () => {
    await engine.segments.create({ id: 'high-az', name: 'High AZ', type: 'dynamic', query: { blocks: [seg('high'), seg('az', 'and_also')] } });
    expect(await q([seg('high-az')])).toEqual(['c2']);
    expect(await q([seg('high-az'), seg('vip', 'or')])).toEqual(['c2', 'c5', 'c6']);
  });

  it('a compound segment goes live on the current members of its parts', async () => {
    await engine.segments.create({ id: 'az-or-vip', name: 'AZ or VIP', type: 'compound', query: { blocks: [seg('az'), seg('vip', 'or')] } });
    expect(await engine.segments.goLive('az-or-vip')).toMatchObject({ members: 5, entered: 5, exited: 0 });
    expect(await storedMembers(engine, 'az-or-vip')).toEqual(['c1', 'c2', 'c3', 'c5', 'c6']);
  });

  it('a live segment is read as its maintained members, a draft as its definition on current data', async () => {
    await seed(engine, { contacts: [{ id: 'c7', state: 'AZ', score: 99 }] });
    expect(await q([seg('az')])).toEqual(['c1', 'c2', 'c3']); // not refreshed yet
    expect(await q([seg('high')])).toEqual(['c2', 'c4', 'c6', 'c7']);
    await engine.segments.refresh('az');
    expect(await q([seg('az')])).toEqual(['c1', 'c2', 'c3', 'c7']);
    expect((await changeLog(engine, 'az')).filter((c) => c.cause === 'refresh')).toEqual([
      { contact_id: 'c7', change: 'entered', cause: 'refresh' },
    ]);
    // Refreshing a part re-evaluates the live segments built on it.
    expect(await storedMembers(engine, 'az-or-vip')).toEqual(['c1', 'c2', 'c3', 'c5', 'c6', 'c7']);
  });

  it('a stopped segment is read by evaluating its definition (its membership is no longer maintained)', async () => {
    await engine.segments.create({ id: 'ca', name: 'CA', type: 'dynamic', query: { blocks: [profile({ attr: 'state', op: 'eq', value: 'CA' })] } });
    await engine.segments.goLive('ca');
    await engine.segments.stop('ca');
    await engine.store.run('UPDATE contacts SET state = $1 WHERE id = $2', ['NY', 'c5']);
    expect(await q([seg('ca')])).toEqual(['c4']);
    // Its own member list is the last maintained membership.
    expect(await runMemberSource(engine, await engine.segments.memberSource('ca'))).toEqual(['c4', 'c5']);
  });
});
