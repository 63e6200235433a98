/** A binary min-heap of (priority, value) number pairs, in two flat arrays. */
export class MinHeap {
  private readonly keys: number[] = [];
  private readonly values: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(key: number, value: number): void {
    const { keys, values } = this;
    let i = keys.length;
    keys.push(key);
    values.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[i] = keys[parent]!;
      values[i] = values[parent]!;
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
  }

  peekKey(): number | undefined {
    return this.keys[0];
  }

  peekValue(): number | undefined {
    return this.values[0];
  }

  pop(): void {
    const { keys, values } = this;
    const lastKey = keys.pop()!;
    const lastValue = values.pop()!;
    const n = keys.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && keys[r]! < keys[l]! ? r : l;
      if (keys[c]! >= lastKey) break;
      keys[i] = keys[c]!;
      values[i] = values[c]!;
      i = c;
    }
    keys[i] = lastKey;
    values[i] = lastValue;
  }

  clear(): void {
    this.keys.length = 0;
    this.values.length = 0;
  }
}
