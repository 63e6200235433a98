import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Block, Condition, Duration, Query } from '../../definition/ast.js';
import { isComparison } from '../../definition/ast.js';
import { TIME_UNIT_MS, parseInstant } from '../../definition/operators.js';
import { contactData } from '../../../test/helpers/contact-data.js';
import { TEST_NOW } from '../../../test/helpers/engine.js';
import { evaluationInstantArb, timedDataSetArb, timedQueryArb, timedRegistry as registry } from '../../../test/helpers/time-arbitraries.js';
import { contactPickArb } from '../../../test/reference/arbitraries.js';
import { ContactEvaluator, type ContactData, type InteractionRow, type RecordRow } from './evaluate.js';
import { isTimeDependent, nextChangeAt } from './next-change.js';


/**
 * nextChangeAt is sound: the per-contact verdict cannot change between `now` and the instant
 * it returns. The true next change is found independently, by evaluating the verdict at every
 * instant where some value of the contact's data, shifted by some duration of the query, or a
 * month start falls — the verdict is constant between such instants.
 */

const NOW = new Date(TEST_NOW);
const NOW_MS = NOW.getTime();
const DAY = TIME_UNIT_MS.days;
const HOUR = TIME_UNIT_MS.hours;
const RUNS = Number(process.env.SEGMATA_PROPERTY_RUNS ?? 500);

// ---- the independent oracle ----------------------------------------------------------------

function conditionDurations(c: Condition, out: number[]): void {
  if (isComparison(c)) {
    if (c.op === 'in_last' || c.op === 'not_in_last') out.push((c.value as Duration).amount * TIME_UNIT_MS[(c.value as Duration).unit]);
    return;
  }
  for (const x of 'all' in c ? c.all : 'any' in c ? c.any : [c.not]) conditionDurations(x, out);
}

/** Every duration a query (and the queries it reads inline) measures time with. */
function queryDurations(blocks: Block[], out: number[] = []): number[] {
  for (const b of blocks) {
    if (b.kind === 'profile') conditionDurations(b.where, out);
    if (b.kind === 'behavioral') {
      if (b.where) conditionDurations(b.where, out);
      if (b.window && 'last' in b.window) out.push(b.window.last.amount * TIME_UNIT_MS[b.window.last.unit]);
      if (b.window && 'from_ago' in b.window) {
        for (const e of [b.window.from_ago, b.window.to_ago]) out.push(e.amount * TIME_UNIT_MS[e.unit]);
      }
    }
    if (b.kind === 'group') queryDurations(b.blocks, out);
  }
  return out;
}

/** A superset of the instants after `now` at which anything in the verdict can flip. */
function oracleInstants(d: ContactData, durations: number[], now: number): number[] {
  const values: number[] = [];
  const add = (v: unknown): void => {
    const ms = v instanceof Date ? v.getTime() : typeof v === 'string' ? parseInstant(v) : undefined;
    if (ms !== undefined) values.push(ms);
  };
  for (const row of [d.contact, d.related.account]) for (const v of Object.values(row ?? {})) add(v);
  for (const i of d.interactions) for (const v of Object.values(i)) add(v);
  const out = new Set<number>();
  for (const v of values) for (const shift of [0, ...durations]) out.add(v + shift);
  const n = new Date(now);
  for (let k = 0; k <= 13; k++) out.add(Date.UTC(n.getUTCFullYear(), n.getUTCMonth() + k, 1));
  return [...out].filter((x) => x > now).sort((a, b) => a - b);
}

// ---- property --------------------------------------------------------------------------------

describe('nextChangeAt is sound against the per-contact evaluator (property)', () => {
  it('leaves the verdict unchanged until the instant it returns, and that instant is a boundary', () => {
    fc.assert(
      fc.property(
        timedDataSetArb(NOW),
        contactPickArb,
        timedQueryArb(NOW, { segments: ['ref-static', 'ref-draft'], depth: 2 }),
        timedQueryArb(NOW, { segments: ['ref-static'], depth: 1 }),
        evaluationInstantArb(NOW),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (data, staticMembers, query, draftQuery, now, fraction) => {
          const inlineQuery = (id: string): Query | undefined => (id === 'ref-draft' ? draftQuery : undefined);
          const durations = [...new Set([...queryDurations(query.blocks), ...queryDurations(draftQuery.blocks)])];
          for (const [id, d] of contactData(data)) {
            const verdictAt = (ms: number): boolean => {
              const evaluator: ContactEvaluator = new ContactEvaluator({
                registry,
                now: new Date(ms),
                segmentMember: (s) => (s === 'ref-static' ? staticMembers.includes(id) : evaluator.evaluate(draftQuery, d).member),
              });
              return evaluator.evaluate(query, d).member;
            };
            const due = nextChangeAt(query, d, { registry, now: new Date(now), inlineQuery })?.getTime();
            const before = verdictAt(now);
            const instants = oracleInstants(d, durations, now);

            // The true next change: the first boundary at which the verdict differs.
            const trueChange = instants.find((t) => verdictAt(t) !== before);
            if (trueChange !== undefined) {
              expect(due, `contact ${id}: verdict changes at ${new Date(trueChange).toISOString()}`).toBeDefined();
              expect(due!).toBeLessThanOrEqual(trueChange);
            }
            if (due === undefined) continue;
            expect(due).toBeGreaterThan(now);
            // A possible change point, not an arbitrary instant.
            expect(instants).toContain(due);
            // Unchanged just after now, just before due and somewhere in between.
            const between = now + 1 + Math.floor(fraction * Math.max(0, due - now - 2));
            for (const t of [now + 1, between, due - 1]) if (t > now && t < due) expect(verdictAt(t)).toBe(before);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

// ---- examples ----------------------------------------------------------------------------------

const iso = (ms: number): string => new Date(ms).toISOString();
const at = (offset: number): Date => new Date(NOW_MS + offset);
const contact = (attrs: RecordRow = {}, account?: RecordRow): ContactData => ({
  contact: { id: 'c1', ...attrs },
  related: { account },
  interactions: [],
});
const opens = (...offsets: number[]): InteractionRow[] =>
  offsets.map((o) => ({ type: 'email_open', occurred_at: at(o), campaign_id: o > 0 ? 'future' : 'past' }));
const env = (inline: Record<string, Query> = {}) => ({ registry, now: NOW, inlineQuery: (id: string) => inline[id] });
const days = (amount: number): Duration => ({ amount, unit: 'days' });

const openedInLast30: Query = { blocks: [{ kind: 'behavioral', interaction: 'email_open', window: { last: days(30) } }] };

describe('nextChangeAt', () => {
  it('is the instant the newest qualifying open leaves a `last` window', () => {
    const d = { ...contact(), interactions: opens(-20 * DAY, -10 * DAY) };
    expect(nextChangeAt(openedInLast30, d, env())).toEqual(at(10 * DAY));
  });

  it('is the instant a future-dated interaction starts counting, if sooner', () => {
    const d = { ...contact(), interactions: opens(-10 * DAY, 2 * HOUR) };
    expect(nextChangeAt(openedInLast30, d, env())).toEqual(at(2 * HOUR));
  });

  it('skips interactions of other types and those the filter rejects', () => {
    const d = {
      ...contact(),
      interactions: [...opens(-10 * DAY), { type: 'email_click', occurred_at: at(-25 * DAY) }],
    };
    const query: Query = {
      blocks: [{ kind: 'behavioral', interaction: 'email_open', where: { attr: 'campaign_id', op: 'eq', value: 'other' }, window: { last: days(30) } }],
    };
    expect(nextChangeAt(query, d, env())).toBeUndefined();
    expect(nextChangeAt(openedInLast30, d, env())).toEqual(at(20 * DAY));
  });

  it('follows an interaction filter that itself depends on time', () => {
    // Opened within 30 days, of a mail sent within the last day.
    const query: Query = {
      blocks: [{ kind: 'behavioral', interaction: 'email_open', where: { attr: 'sent_at', op: 'in_last', value: days(1) }, window: { last: days(30) } }],
    };
    const open = (offset: number, sentAt: number | null): InteractionRow => ({ type: 'email_open', occurred_at: at(offset), sent_at: sentAt === null ? null : iso(NOW_MS + sentAt) });
    // The filter stops holding when the send is a day old, long before the window closes.
    expect(nextChangeAt(query, { ...contact(), interactions: [open(-HOUR, -2 * HOUR)] }, env())).toEqual(at(22 * HOUR));
    // Not matching now, but it will once its (future-dated) send time comes.
    expect(nextChangeAt(query, { ...contact(), interactions: [open(-2 * DAY, 3 * HOUR)] }, env())).toEqual(at(3 * HOUR));
    expect(nextChangeAt(query, { ...contact(), interactions: [open(-40 * DAY, null)] }, env())).toBeUndefined();
  });

  it('counts a fixed window only for interactions inside it', () => {
    const query: Query = {
      blocks: [{ kind: 'behavioral', interaction: 'email_open', window: { from: iso(NOW_MS), to: iso(NOW_MS + DAY) } }],
    };
    expect(nextChangeAt(query, { ...contact(), interactions: opens(2 * DAY, 5 * HOUR) }, env())).toEqual(at(5 * HOUR));
    expect(nextChangeAt(query, { ...contact(), interactions: opens(2 * DAY, -HOUR) }, env())).toBeUndefined();
    // Both ends of the window are inside it.
    expect(nextChangeAt(query, { ...contact(), interactions: opens(DAY) }, env())).toEqual(at(DAY));
  });

  it('enters a relative window at t + to_ago and leaves it at t + from_ago, exactly', () => {
    const lapsed: Query = { blocks: [{ kind: 'behavioral', interaction: 'email_open', window: { from_ago: days(90), to_ago: days(30) } }] };
    const evaluatorAt = (ms: number): ContactEvaluator => new ContactEvaluator({ registry, now: new Date(ms), segmentMember: () => false });
    // Opened 10 days ago: not yet in; in from 20 days on.
    const recent = { ...contact(), interactions: opens(-10 * DAY) };
    expect(nextChangeAt(lapsed, recent, env())).toEqual(at(20 * DAY));
    expect(evaluatorAt(NOW_MS + 20 * DAY - 1).evaluate(lapsed, recent).member).toBe(false);
    expect(evaluatorAt(NOW_MS + 20 * DAY).evaluate(lapsed, recent).member).toBe(true);
    // Opened 40 days ago: in now; out from 50 days on.
    const inside = { ...contact(), interactions: opens(-40 * DAY) };
    expect(nextChangeAt(lapsed, inside, env())).toEqual(at(50 * DAY));
    expect(evaluatorAt(NOW_MS + 50 * DAY - 1).evaluate(lapsed, inside).member).toBe(true);
    expect(evaluatorAt(NOW_MS + 50 * DAY).evaluate(lapsed, inside).member).toBe(false);
    // Exactly 90 days old: out for good. A future-dated one: in at t + to_ago, not at t.
    expect(nextChangeAt(lapsed, { ...contact(), interactions: opens(-90 * DAY) }, env())).toBeUndefined();
    expect(nextChangeAt(lapsed, { ...contact(), interactions: opens(2 * HOUR) }, env())).toEqual(at(30 * DAY + 2 * HOUR));
  });

  it('never changes for past interactions without a window', () => {
    const query: Query = { blocks: [{ kind: 'behavioral', interaction: 'email_open' }] };
    expect(nextChangeAt(query, { ...contact(), interactions: opens(-400 * DAY) }, env())).toBeUndefined();
  });

  it('follows in_last and not_in_last on dates, including through the account', () => {
    const inLast7 = (attr: string): Query => ({ blocks: [{ kind: 'profile', where: { not: { attr, op: 'not_in_last', value: days(7) } } }] });
    expect(nextChangeAt(inLast7('created_at'), contact({ created_at: iso(NOW_MS - DAY) }), env())).toEqual(at(6 * DAY));
    expect(nextChangeAt(inLast7('created_at'), contact({ created_at: iso(NOW_MS + HOUR) }), env())).toEqual(at(HOUR));
    expect(nextChangeAt(inLast7('created_at'), contact({ created_at: iso(NOW_MS - 8 * DAY) }), env())).toBeUndefined();
    expect(nextChangeAt(inLast7('created_at'), contact({ created_at: null }), env())).toBeUndefined();
    // A date is its midnight UTC: 2024-05-30 + 7 days.
    expect(nextChangeAt(inLast7('birthdate'), contact({ birthdate: '2024-05-30' }), env())).toEqual(new Date('2024-06-06T00:00:00Z'));
    expect(nextChangeAt(inLast7('account.created_at'), contact({}, { id: 'a1', created_at: iso(NOW_MS - DAY) }), env())).toEqual(at(6 * DAY));
    expect(nextChangeAt(inLast7('account.created_at'), contact(), env())).toBeUndefined();
  });

  it('is the month start at which in_month "current" flips for the value', () => {
    const birthdayMonth: Query = { blocks: [{ kind: 'profile', where: { attr: 'birthdate', op: 'in_month', value: 'current' } }] };
    const due = (birthdate: string | null): Date | undefined => nextChangeAt(birthdayMonth, contact({ birthdate }), env());
    // Now is in June 2024.
    expect(due('1990-06-15')).toEqual(new Date('2024-07-01T00:00:00Z')); // leaves
    expect(due('1990-07-15')).toEqual(new Date('2024-07-01T00:00:00Z')); // enters
    expect(due('1990-09-15')).toEqual(new Date('2024-09-01T00:00:00Z'));
    expect(due('1990-05-15')).toEqual(new Date('2025-05-01T00:00:00Z'));
    expect(due(null)).toBeUndefined();
    const fixedMonth: Query = { blocks: [{ kind: 'profile', where: { attr: 'birthdate', op: 'in_month', value: 6 } }] };
    expect(nextChangeAt(fixedMonth, contact({ birthdate: '1990-06-15' }), env())).toBeUndefined();
  });

  it('reads inline segments through their query and maintained ones not at all', () => {
    const query: Query = { blocks: [{ kind: 'group', blocks: [{ kind: 'segment', segment: 'engaged' }] }] };
    const d = { ...contact(), interactions: opens(-10 * DAY) };
    expect(nextChangeAt(query, d, env({ engaged: openedInLast30 }))).toEqual(at(20 * DAY));
    expect(nextChangeAt(query, d, env())).toBeUndefined();
  });

  it('rejects inline segments that read themselves', () => {
    const loop: Query = { blocks: [{ kind: 'segment', segment: 'loop' }] };
    expect(() => nextChangeAt(loop, contact(), env({ loop }))).toThrow(/cycle/);
  });

  it('has nothing to schedule for a contact that does not exist', () => {
    expect(nextChangeAt(openedInLast30, { contact: undefined, related: {}, interactions: opens(HOUR) }, env())).toBeUndefined();
  });
});

describe('isTimeDependent', () => {
  const profile = (where: Condition): Query => ({ blocks: [{ kind: 'profile', where }] });
  const none = (): Query | undefined => undefined;

  it('is true for behavioral blocks and relative date conditions', () => {
    expect(isTimeDependent(openedInLast30, none)).toBe(true);
    expect(isTimeDependent({ blocks: [{ kind: 'behavioral', interaction: 'email_open' }] }, none)).toBe(true);
    expect(isTimeDependent(profile({ any: [{ attr: 'state', op: 'eq', value: 'AZ' }, { not: { attr: 'created_at', op: 'in_last', value: days(1) } }] }), none)).toBe(true);
    expect(isTimeDependent(profile({ attr: 'birthdate', op: 'in_month', value: 'current' }), none)).toBe(true);
  });

  it('is false for fixed conditions and maintained segments, true through inline ones', () => {
    expect(isTimeDependent(profile({ attr: 'birthdate', op: 'in_month', value: 6 }), none)).toBe(false);
    expect(isTimeDependent(profile({ attr: 'created_at', op: 'before', value: '2024-01-01' }), none)).toBe(false);
    const reads: Query = { blocks: [{ kind: 'profile', where: { attr: 'state', op: 'eq', value: 'AZ' } }, { kind: 'segment', segment: 's', relation: 'and_also' }] };
    expect(isTimeDependent(reads, none)).toBe(false);
    expect(isTimeDependent(reads, (id) => (id === 's' ? openedInLast30 : undefined))).toBe(true);
  });
});
