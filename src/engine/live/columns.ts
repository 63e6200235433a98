import type { AttrValue } from '../contact/trace.js';

/**
 * Columnar building blocks of the resident live state. A million contacts held as one object
 * each (and an object per interaction, per Date, per schedule entry) make every major garbage
 * collection walk millions of objects — seconds of pause at 1M contacts / 10M interactions.
 * Held in typed arrays and interned values, the same state is a handful of objects, and a
 * batch materialises plain rows only for the contacts it evaluates.
 */

/** A Float64Array that grows by doubling; unset slots read as `fill`. */
export class GrowableFloat64 {
  data: Float64Array;
  constructor(private readonly fill: number, capacity = 1024) {
    this.data = new Float64Array(capacity).fill(fill);
  }
  ensure(i: number): void {
    if (i < this.data.length) return;
    let n = this.data.length;
    while (n <= i) n *= 2;
    const grown = new Float64Array(n).fill(this.fill);
    grown.set(this.data);
    this.data = grown;
  }
}

/** An Int32Array that grows by doubling; unset slots read as 0. */
export class GrowableInt32 {
  data = new Int32Array(1024);
  ensure(i: number): void {
    if (i < this.data.length) return;
    let n = this.data.length;
    while (n <= i) n *= 2;
    const grown = new Int32Array(n);
    grown.set(this.data);
    this.data = grown;
  }
}

/** Strings (interaction types, segment ids) as small integer codes; code 0 is never given. */
class Codes {
  private readonly codes = new Map<string, number>();
  private readonly names: string[] = [''];
  code(name: string): number {
    let c = this.codes.get(name);
    if (c === undefined) {
      c = this.names.length;
      this.codes.set(name, c);
      this.names.push(name);
    }
    return c;
  }
  find(name: string): number | undefined {
    return this.codes.get(name);
  }
  name(code: number): string {
    return this.names[code]!;
  }
}

/** Values below this many distinct strings are interned (states, industries, choices). */
const INTERN_LIMIT = 65_536;

/**
 * One attribute's values by record index. Numbers and instants live unboxed in a Float64Array
 * (NaN = no value); other values (text, booleans) in one array of interned primitives. A
 * column starts numeric or temporal from its first value and falls back to the general form
 * if a value of another kind arrives.
 */
export class ValueColumn {
  private mode: 'empty' | 'number' | 'date' | 'any' = 'empty';
  private nums = new GrowableFloat64(NaN);
  private values: AttrValue[] = [];
  private readonly interned = new Map<string, string>();

  get(i: number): AttrValue {
    switch (this.mode) {
      case 'empty':
        return null;
      case 'number': {
        const v = i < this.nums.data.length ? this.nums.data[i]! : NaN;
        return Number.isNaN(v) ? null : v;
      }
      case 'date': {
        const v = i < this.nums.data.length ? this.nums.data[i]! : NaN;
        return Number.isNaN(v) ? null : new Date(v);
      }
      case 'any':
        return this.values[i] ?? null;
    }
  }

  set(i: number, value: AttrValue): void {
    const v = value ?? null;
    if (this.mode === 'empty') {
      if (v === null) return;
      this.mode = typeof v === 'number' && !Number.isNaN(v) ? 'number' : v instanceof Date ? 'date' : 'any';
    }
    if (this.mode === 'number' || this.mode === 'date') {
      const fits = v === null || (this.mode === 'number' ? typeof v === 'number' && !Number.isNaN(v) : v instanceof Date);
      if (fits) {
        this.nums.ensure(i);
        this.nums.data[i] = v === null ? NaN : typeof v === 'number' ? v : (v as Date).getTime();
        return;
      }
      this.generalise();
    }
    // Filled up to i, so the array stays packed (a far write would make V8 turn it into a dictionary).
    while (this.values.length < i) this.values.push(null);
    if (typeof v === 'string' && this.interned.size < INTERN_LIMIT) {
      let s = this.interned.get(v);
      if (s === undefined) this.interned.set(v, (s = v));
      this.values[i] = s;
    } else {
      this.values[i] = v;
    }
  }

  /** Move numeric/temporal values to the general form (a value of another kind arrived). */
  private generalise(): void {
    const n = this.nums.data.length;
    const values: AttrValue[] = [];
    for (let i = 0; i < n; i++) {
      values.push(this.get(i));
    }
    this.values = values;
    this.nums = new GrowableFloat64(NaN, 1);
    this.mode = 'any';
  }
}

/** Records (contacts, or the accounts they relate to) as columns over record indexes. */
export class RecordColumns {
  private readonly exists: GrowableInt32 = new GrowableInt32();
  private readonly columns = new Map<string, ValueColumn>();

  constructor(attributes: Iterable<string>) {
    for (const a of attributes) this.columns.set(a, new ValueColumn());
  }

  /** Start holding more attributes (empty until `fill` gives their values). */
  addAttributes(attributes: Iterable<string>): void {
    for (const a of attributes) if (!this.columns.has(a)) this.columns.set(a, new ValueColumn());
  }

  /** Set only the given attributes of a record already held (a later load of new attributes). */
  fill(i: number, row: Readonly<Record<string, unknown>>, attributes: Iterable<string>): void {
    for (const a of attributes) this.columns.get(a)?.set(i, row[a] as AttrValue);
  }

  has(i: number): boolean {
    return i < this.exists.data.length && this.exists.data[i] === 1;
  }

  /** Store a record's values (only the attributes this table holds). */
  set(i: number, row: Readonly<Record<string, unknown>>): void {
    this.exists.ensure(i);
    this.exists.data[i] = 1;
    for (const [a, col] of this.columns) col.set(i, row[a] as AttrValue);
  }

  delete(i: number): void {
    if (i < this.exists.data.length) this.exists.data[i] = 0;
  }

  /** The record as a plain row (`id` plus its attributes), or undefined if there is none. */
  row(i: number, id: string): Record<string, AttrValue> | undefined {
    if (!this.has(i)) return undefined;
    const out: Record<string, AttrValue> = { id };
    for (const [a, col] of this.columns) out[a] = col.get(i);
    return out;
  }
}

/**
 * Interactions of the resident types, append-only, each contact's chained newest first
 * (head by contact index, next by entry; entry 0 means "none").
 */
export class InteractionColumns {
  private readonly at = new GrowableFloat64(NaN);
  private readonly type = new GrowableInt32();
  private readonly next = new GrowableInt32();
  private readonly head = new GrowableInt32();
  private readonly types = new Codes();
  private readonly properties = new Map<string, ValueColumn>();
  private size = 0;

  constructor(properties: Iterable<string>) {
    this.addProperties(properties);
  }

  /** Hold more properties from now on (the interactions added next carry them). */
  addProperties(properties: Iterable<string>): void {
    for (const p of properties) if (!this.properties.has(p)) this.properties.set(p, new ValueColumn());
  }

  add(contact: number, type: string, occurredAt: number, row: Readonly<Record<string, unknown>>): void {
    const e = ++this.size;
    const code = this.types.code(type);
    this.at.ensure(e);
    this.type.ensure(e);
    this.next.ensure(e);
    this.head.ensure(contact);
    this.at.data[e] = occurredAt;
    this.type.data[e] = code;
    this.next.data[e] = this.head.data[contact]!;
    this.head.data[contact] = e;
    for (const [p, col] of this.properties) if (row[p] !== undefined) col.set(e, row[p] as AttrValue);
  }

  /** The instants (epoch ms) of a contact's interactions of one type, newest first. */
  times(contact: number, type: string): number[] {
    const out: number[] = [];
    const code = this.types.find(type);
    if (code === undefined || contact >= this.head.data.length) return out;
    for (let e = this.head.data[contact]!; e !== 0; e = this.next.data[e]!) if (this.type.data[e] === code) out.push(this.at.data[e]!);
    return out;
  }

  /** A contact's interactions (of one type, if given) as plain rows: type, occurred_at and the held properties. */
  rows(contact: number, type?: string): { type: string; occurred_at: Date; [property: string]: AttrValue }[] {
    const out: { type: string; occurred_at: Date; [property: string]: AttrValue }[] = [];
    if (contact >= this.head.data.length) return out;
    const only = type === undefined ? 0 : this.types.find(type);
    if (only === undefined) return out;
    for (let e = this.head.data[contact]!; e !== 0; e = this.next.data[e]!) {
      if (only !== 0 && this.type.data[e] !== only) continue;
      const row: { type: string; occurred_at: Date; [property: string]: AttrValue } = { type: this.types.name(this.type.data[e]!), occurred_at: new Date(this.at.data[e]!) };
      for (const [p, col] of this.properties) row[p] = col.get(e);
      out.push(row);
    }
    return out;
  }
}

/** Doubles per page of a PagedFloat64 (8 MB). */
const PAGE_BITS = 20;
const PAGE_MASK = (1 << PAGE_BITS) - 1;

/**
 * A Float64Array that grows by adding pages, never by copying: at ~17M schedule entries,
 * doubling one array meant allocating and filling 805 MB on the main thread, a 6.6 s stall of
 * the live loop in bench:live. Unset slots read as 0.
 */
export class PagedFloat64 {
  private readonly pages: Float64Array[] = [];
  get(i: number): number {
    return this.pages[i >>> PAGE_BITS]![i & PAGE_MASK]!;
  }
  set(i: number, v: number): void {
    this.pages[i >>> PAGE_BITS]![i & PAGE_MASK] = v;
  }
  ensure(i: number): void {
    while (this.pages.length <= i >>> PAGE_BITS) this.pages.push(new Float64Array(1 << PAGE_BITS));
  }
}

/**
 * The schedule: per contact, (segment, instant) entries chained in one flat array with a free
 * list, so a million contacts' boundaries are no million Maps. An entry's segment code, instant
 * and link lie side by side (ENTRY slots): walking a contact's entries, scattered over the
 * array, then costs one cache miss per entry instead of one per field.
 */
export class DueColumns {
  /** Per entry: [segment code, instant (ms), next entry]; entry 0 is the end of every chain. */
  private readonly slots = new PagedFloat64();
  private readonly head = new GrowableInt32();
  private readonly segments = new Codes();
  private free = 0;
  private size = 0;

  /** Entries ever allocated (freed ones are reused): what the schedule holds at its largest. */
  get entries(): number {
    return this.size;
  }

  /** A contact's instant for one segment, if any. */
  find(contact: number, segmentId: string): number | undefined {
    const code = this.segments.find(segmentId);
    if (code === undefined || contact >= this.head.data.length) return undefined;
    const d = this.slots;
    for (let e = this.head.data[contact]!; e !== 0; e = d.get(e * ENTRY + NEXT)) if (d.get(e * ENTRY) === code) return d.get(e * ENTRY + MS);
    return undefined;
  }

  forEach(contact: number, fn: (ms: number, segmentId: string) => void): void {
    if (contact >= this.head.data.length) return;
    const d = this.slots;
    for (let e = this.head.data[contact]!; e !== 0; e = d.get(e * ENTRY + NEXT)) fn(d.get(e * ENTRY + MS), this.segments.name(d.get(e * ENTRY)));
  }

  earliest(contact: number): number {
    let min = Infinity;
    if (contact >= this.head.data.length) return min;
    const d = this.slots;
    for (let e = this.head.data[contact]!; e !== 0; e = d.get(e * ENTRY + NEXT)) if (d.get(e * ENTRY + MS) < min) min = d.get(e * ENTRY + MS);
    return min;
  }

  /** Set (or, with null, clear) one segment's instant for a contact. */
  set(contact: number, segmentId: string, ms: number | null): void {
    const code = this.segments.find(segmentId);
    if (code !== undefined) this.release(contact, code);
    if (ms !== null) this.add(contact, segmentId, ms);
  }

  add(contact: number, segmentId: string, ms: number): void {
    const code = this.segments.code(segmentId);
    let e = this.free;
    if (e !== 0) this.free = this.slots.get(e * ENTRY + NEXT);
    else {
      e = ++this.size;
      this.slots.ensure(e * ENTRY + NEXT);
    }
    this.head.ensure(contact);
    const d = this.slots;
    d.set(e * ENTRY, code);
    d.set(e * ENTRY + MS, ms);
    d.set(e * ENTRY + NEXT, this.head.data[contact]!);
    this.head.data[contact] = e;
  }

  /**
   * Make a contact's entries exactly `segmentIds` → `ms` (a batch's edited copy of them): its
   * entries are overwritten in place in one walk, extras freed, missing ones added.
   */
  rewrite(contact: number, segmentIds: readonly string[], ms: readonly number[]): void {
    this.head.ensure(contact);
    const d = this.slots;
    let k = 0;
    let prev = 0;
    let e = this.head.data[contact]!;
    for (; e !== 0 && k < segmentIds.length; k++) {
      d.set(e * ENTRY, this.segments.code(segmentIds[k]!));
      d.set(e * ENTRY + MS, ms[k]!);
      prev = e;
      e = d.get(e * ENTRY + NEXT);
    }
    if (e !== 0) {
      // Fewer instants than entries: the rest of the chain goes to the free list.
      if (prev === 0) this.head.data[contact] = 0;
      else d.set(prev * ENTRY + NEXT, 0);
      while (e !== 0) {
        const next = d.get(e * ENTRY + NEXT);
        d.set(e * ENTRY + NEXT, this.free);
        this.free = e;
        e = next;
      }
    }
    for (; k < segmentIds.length; k++) this.add(contact, segmentIds[k]!, ms[k]!);
  }

  /** Drop one segment's entries of every contact; `dropped` hears each contact that had one. */
  dropSegment(segmentId: string, dropped?: (contact: number) => void): void {
    const code = this.segments.find(segmentId);
    if (code === undefined) return;
    for (let c = 0; c < this.head.data.length; c++) if (this.head.data[c] !== 0 && this.release(c, code)) dropped?.(c);
  }

  clear(): void {
    this.head.data.fill(0);
    this.free = 0;
    this.size = 0;
  }

  /** Unlink a contact's entries of one segment (by code) onto the free list; whether there were any. */
  private release(contact: number, code: number): boolean {
    if (contact >= this.head.data.length) return false;
    const d = this.slots;
    let released = false;
    let prev = 0;
    let e = this.head.data[contact]!;
    while (e !== 0) {
      const next = d.get(e * ENTRY + NEXT);
      if (d.get(e * ENTRY) === code) {
        if (prev === 0) this.head.data[contact] = next;
        else d.set(prev * ENTRY + NEXT, next);
        d.set(e * ENTRY + NEXT, this.free);
        this.free = e;
        released = true;
      } else prev = e;
      e = next;
    }
    return released;
  }
}

/** Slots per schedule entry, and the offsets of its instant and link (the segment code is at 0). */
const ENTRY = 3;
const MS = 1;
const NEXT = 2;

/**
 * Every maintained segment's members: one bit per (contact, segment), laid out contact by
 * contact. A contact's bits for all segments lie together, so evaluating one contact's ~20
 * segments reads one cache line where a bitset per segment read ~20 lines scattered over
 * megabytes — the largest single cost of a live batch (~1 s of every 20 at 20,000
 * interactions/s).
 */
export class MemberMatrix {
  private readonly columns = new Map<string, number>();
  private readonly freeColumns: number[] = [];
  /** Bytes per contact. */
  private stride = 0;
  /** Contacts the rows have room for. */
  private rows = 0;
  private data = new Uint8Array(0);

  /** The column of a segment, if it has one. */
  column(segmentId: string): number | undefined {
    return this.columns.get(segmentId);
  }

  segments(): IterableIterator<string> {
    return this.columns.keys();
  }

  has(contact: number, column: number): boolean {
    if (contact >= this.rows) return false;
    return (this.data[contact * this.stride + (column >> 3)]! & (1 << (column & 7))) !== 0;
  }

  set(contact: number, column: number, on: boolean): void {
    if (contact >= this.rows) {
      if (!on) return;
      this.layout(Math.max(contact + 1, this.rows * 2, 1024), this.stride);
    }
    const at = contact * this.stride + (column >> 3);
    if (on) this.data[at]! |= 1 << (column & 7);
    else this.data[at]! &= ~(1 << (column & 7));
  }

  /** A segment's column, emptied (a new one if it had none). */
  clear(segmentId: string): number {
    let column = this.columns.get(segmentId);
    if (column === undefined) {
      column = this.freeColumns.pop() ?? this.columns.size;
      this.columns.set(segmentId, column);
      if (column >> 3 >= this.stride) this.layout(this.rows, (column >> 3) + 1 + (this.stride >> 1));
    }
    const byte = column >> 3;
    const keep = ~(1 << (column & 7));
    for (let at = byte; at < this.data.length; at += this.stride) this.data[at]! &= keep;
    return column;
  }

  /** Forget a segment; its column is emptied for the next one. */
  drop(segmentId: string): void {
    if (!this.columns.has(segmentId)) return;
    const column = this.clear(segmentId);
    this.columns.delete(segmentId);
    this.freeColumns.push(column);
  }

  /** Copy into rows of `stride` bytes for `rows` contacts. */
  private layout(rows: number, stride: number): void {
    const data = new Uint8Array(rows * stride);
    if (stride === this.stride) data.set(this.data.subarray(0, Math.min(this.data.length, data.length)));
    else for (let c = 0; c < Math.min(rows, this.rows); c++) data.set(this.data.subarray(c * this.stride, (c + 1) * this.stride), c * stride);
    this.data = data;
    this.rows = rows;
    this.stride = stride;
  }
}
