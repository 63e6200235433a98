import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from './heap.js';

describe('MinHeap', () => {
  it('pops keys in ascending order with their values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 })), (keys) => {
        const heap = new MinHeap();
        keys.forEach((k, i) => heap.push(k, i));
        const out: [number, number][] = [];
        while (heap.size > 0) {
          out.push([heap.peekKey()!, heap.peekValue()!]);
          heap.pop();
        }
        expect(out.map(([k]) => k)).toEqual([...keys].sort((a, b) => a - b));
        for (const [k, v] of out) expect(keys[v]).toBe(k);
      }),
    );
  });
});
