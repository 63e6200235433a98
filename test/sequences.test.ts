import { afterEach, describe, expect, it } from 'vitest';
import { DuckDBStore } from '../src/store/duckdb/duckdb-store.js';
import { SEQUENCE_BLOCK, takeSequence, takeSequences } from '../src/store/sequences.js';

describe('block sequences (the live path numbers its rows itself)', () => {
  let store: DuckDBStore | undefined;
  afterEach(async () => store?.close());

  it('hands several sequences ranges in one statement, each range its own and the next ones after it', async () => {
    store = await DuckDBStore.open(':memory:');
    await store.run(`CREATE SEQUENCE a START 1 INCREMENT BY ${SEQUENCE_BLOCK}`);
    await store.run(`CREATE SEQUENCE b START 100 INCREMENT BY ${SEQUENCE_BLOCK}`);
    const [a1, none, b1] = await store.transaction((tx) =>
      takeSequences(tx, [
        { sequence: 'a', n: 3000 },
        { sequence: 'b', n: 0 },
        { sequence: 'b', n: 5 },
      ]),
    );
    expect([a1, none, b1]).toEqual([1, 0, 100]);
    // 3,000 values took three blocks of a; 5 took one of b.
    const a2 = await store.transaction((tx) => takeSequence(tx, 'a', 1));
    const b2 = await store.transaction((tx) => takeSequence(tx, 'b', 1));
    expect(a2).toBe(1 + 3 * SEQUENCE_BLOCK);
    expect(b2).toBe(100 + SEQUENCE_BLOCK);
  });
});
