import { describe, expect, it } from 'vitest';
import { DueColumns, InteractionColumns, MemberMatrix, PagedFloat64, RecordColumns, ValueColumn } from './columns.js';

describe('ValueColumn', () => {
  it('gives back numbers, instants, text, booleans and nulls as they were set', () => {
    const n = new ValueColumn();
    n.set(0, 1.5);
    n.set(2, null);
    n.set(3000, -4);
    expect([n.get(0), n.get(1), n.get(2), n.get(3000), n.get(99_999)]).toEqual([1.5, null, null, -4, null]);

    const d = new ValueColumn();
    d.set(1, new Date('2026-01-02T03:04:05.678Z'));
    expect(d.get(1)).toEqual(new Date('2026-01-02T03:04:05.678Z'));
    expect(d.get(0)).toBeNull();

    const t = new ValueColumn();
    t.set(5, 'AZ');
    t.set(6, true);
    t.set(7, undefined);
    expect([t.get(5), t.get(6), t.get(7), t.get(4)]).toEqual(['AZ', true, null, null]);
  });

  it('keeps earlier values when a value of another kind arrives', () => {
    const c = new ValueColumn();
    c.set(0, 10);
    c.set(2, 20);
    c.set(1, 'ten');
    expect([c.get(0), c.get(1), c.get(2)]).toEqual([10, 'ten', 20]);
    const d = new ValueColumn();
    d.set(0, new Date(5));
    d.set(1, 7);
    expect([d.get(0), d.get(1)]).toEqual([new Date(5), 7]);
  });
});

describe('RecordColumns', () => {
  it('holds only its attributes, and forgets deleted records', () => {
    const r = new RecordColumns(['state', 'score']);
    r.set(3, { id: 'c3', state: 'TX', score: 7, email: 'x@y' });
    expect(r.row(3, 'c3')).toEqual({ id: 'c3', state: 'TX', score: 7 });
    expect(r.row(2, 'c2')).toBeUndefined();
    r.delete(3);
    expect(r.row(3, 'c3')).toBeUndefined();
    r.set(3, { state: 'CA' });
    expect(r.row(3, 'c3')).toEqual({ id: 'c3', state: 'CA', score: null });
  });
});

describe('InteractionColumns', () => {
  it("chains each contact's interactions with their properties", () => {
    const ic = new InteractionColumns(['campaign']);
    ic.add(1, 'email_open', 100, { campaign: 'spring' });
    ic.add(2, 'email_click', 200, {});
    ic.add(1, 'website_visit', 300, { campaign: 'summer' });
    const rows = ic.rows(1).sort((a, b) => a.occurred_at.getTime() - b.occurred_at.getTime());
    expect(rows).toEqual([
      { type: 'email_open', occurred_at: new Date(100), campaign: 'spring' },
      { type: 'website_visit', occurred_at: new Date(300), campaign: 'summer' },
    ]);
    expect(ic.rows(2)).toEqual([{ type: 'email_click', occurred_at: new Date(200), campaign: null }]);
    expect(ic.rows(1, 'website_visit')).toEqual([{ type: 'website_visit', occurred_at: new Date(300), campaign: 'summer' }]);
    expect(ic.rows(1, 'form_submit')).toEqual([]);
    expect(ic.rows(0)).toEqual([]);
    expect(ic.rows(50_000)).toEqual([]);
  });
});

/** A contact's instants as a Map, for comparison. */
function instants(d: DueColumns, contact: number): Map<string, number> {
  const out = new Map<string, number>();
  d.forEach(contact, (ms, segmentId) => out.set(segmentId, ms));
  return out;
}

describe('PagedFloat64', () => {
  it('holds values on either side of a page boundary, and reads unset slots as 0', () => {
    const a = new PagedFloat64();
    const edge = 1 << 20;
    a.ensure(edge * 2 + 5);
    for (const i of [0, edge - 1, edge, edge + 1, edge * 2 + 5]) a.set(i, i + 0.5);
    expect([0, edge - 1, edge, edge + 1, edge * 2 + 5].map((i) => a.get(i))).toEqual([0.5, edge - 0.5, edge + 0.5, edge + 1.5, edge * 2 + 5.5]);
    expect(a.get(edge + 2)).toBe(0);
  });
});

describe('DueColumns', () => {
  it('sets and clears instants, drops by segment and reuses freed entries', () => {
    const d = new DueColumns();
    d.set(0, 'a', 30);
    d.set(0, 'b', 10);
    d.set(1, 'a', 5);
    expect(instants(d, 0)).toEqual(new Map([['a', 30], ['b', 10]]));
    expect(d.earliest(0)).toBe(10);
    expect([d.find(0, 'b'), d.find(1, 'b'), d.find(0, 'unknown'), d.find(99, 'a')]).toEqual([10, undefined, undefined, undefined]);
    d.dropSegment('b');
    expect(instants(d, 0)).toEqual(new Map([['a', 30]]));
    expect(instants(d, 1)).toEqual(new Map([['a', 5]]));
    d.set(0, 'a', null);
    expect(d.earliest(0)).toBe(Infinity);
    // Many replacements reuse the freed entries rather than growing without bound.
    for (let k = 0; k < 10_000; k++) {
      d.set(2, 'a', k);
      d.set(2, 'c', k + 1);
    }
    expect(instants(d, 2)).toEqual(new Map([['a', 9_999], ['c', 10_000]]));
    expect(d.earliest(2)).toBe(9_999);
    expect(d.entries).toBeLessThanOrEqual(8);
    d.set(2, 'a', null);
    d.set(2, 'b', 7);
    d.set(2, 'c', 3);
    expect(instants(d, 2)).toEqual(new Map([['b', 7], ['c', 3]]));
    expect(d.earliest(2)).toBe(3);
    d.clear();
    expect(instants(d, 1)).toEqual(new Map());
  });

  it("rewrites a contact's instants whole: fewer, more or other segments, reusing its entries", () => {
    const d = new DueColumns();
    d.set(0, 'a', 1);
    d.set(0, 'b', 2);
    d.set(0, 'c', 3);
    d.set(1, 'a', 9);
    d.rewrite(0, ['c', 'd'], [30, 40]);
    expect(instants(d, 0)).toEqual(new Map([['c', 30], ['d', 40]]));
    d.rewrite(0, ['a', 'b', 'c', 'd', 'e'], [5, 4, 3, 2, 1]);
    expect(instants(d, 0)).toEqual(new Map([['a', 5], ['b', 4], ['c', 3], ['d', 2], ['e', 1]]));
    expect(d.earliest(0)).toBe(1);
    d.rewrite(0, [], []);
    expect(instants(d, 0)).toEqual(new Map());
    expect(d.earliest(0)).toBe(Infinity);
    // A contact never seen before, and the other contact untouched throughout.
    d.rewrite(7, ['x'], [70]);
    expect(instants(d, 7)).toEqual(new Map([['x', 70]]));
    expect(instants(d, 1)).toEqual(new Map([['a', 9]]));
    // Rewrites reuse freed entries rather than growing without bound.
    for (let k = 0; k < 1_000; k++) d.rewrite(0, k % 2 ? ['a', 'b', 'c'] : ['a'], [k, k, k]);
    expect(d.entries).toBeLessThanOrEqual(7);
  });
});

describe('MemberMatrix', () => {
  it('keeps every bit as set while contacts and segments are added, the rows growing and widening', () => {
    const m = new MemberMatrix();
    const expected = new Set<string>();
    const columns: number[] = [];
    // 40 segments (the rows widen several times) and contacts up to 5,000 (they grow several times).
    for (let s = 0; s < 40; s++) {
      columns.push(m.clear(`s${s}`));
      for (let c = s; c < 5000; c += 7 + s) {
        m.set(c, columns[s]!, true);
        expected.add(`${c}:${s}`);
      }
    }
    for (let c = 0; c < 5000; c += 11) {
      m.set(c, columns[3]!, false);
      expected.delete(`${c}:3`);
    }
    for (let c = 0; c < 5100; c++) for (let s = 0; s < 40; s++) expect(m.has(c, columns[s]!)).toBe(expected.has(`${c}:${s}`));
    expect([...m.segments()]).toHaveLength(40);
  });

  it("clears a segment for a reload, and gives a dropped segment's column to the next one empty", () => {
    const m = new MemberMatrix();
    const a = m.clear('a');
    const b = m.clear('b');
    for (let c = 0; c < 100; c++) {
      m.set(c, a, true);
      m.set(c, b, c % 2 === 0);
    }
    expect(m.clear('a')).toBe(a);
    expect(m.has(5, a)).toBe(false);
    expect(m.has(4, b)).toBe(true);
    m.drop('b');
    expect(m.column('b')).toBeUndefined();
    const c = m.clear('c');
    expect(c).toBe(b);
    expect(Array.from({ length: 100 }, (_, i) => m.has(i, c)).some(Boolean)).toBe(false);
    expect([...m.segments()].sort()).toEqual(['a', 'c']);
  });
});
