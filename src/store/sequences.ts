import type { SqlRunner } from './store.js';

/** The step of the live path's sequences (migration 4): each nextval hands out this many consecutive values. */
export const SEQUENCE_BLOCK = 1024;

/**
 * Take `n` consecutive values of a block sequence (migration 4): ⌈n / SEQUENCE_BLOCK⌉ calls,
 * each handing out a block. The connection is the database's only user, so successive blocks
 * are adjacent and [first, first + n) is ours.
 */
export async function takeSequence(tx: SqlRunner, sequence: string, n: number): Promise<number> {
  return (await takeSequences(tx, [{ sequence, n }]))[0]!;
}

/** `takeSequence` of several sequences in one statement (a live batch numbers its log and schedule rows at once); 0 for none taken. */
export async function takeSequences(tx: SqlRunner, wanted: readonly { sequence: string; n: number }[]): Promise<number[]> {
  const taken = wanted.map((w, i) => ({ ...w, i, calls: Math.ceil(w.n / SEQUENCE_BLOCK) })).filter((w) => w.calls > 0);
  const out = wanted.map(() => 0);
  if (taken.length === 0) return out;
  const columns = taken.map(
    (w) => `(SELECT [min(s), max(s)] FROM (SELECT nextval('${w.sequence}') AS s FROM range(${w.calls}))) AS s${w.i}`,
  );
  const [row] = await tx.all<Record<string, [number, number]>>(`SELECT ${columns.join(', ')}`);
  for (const w of taken) {
    const [first, last] = row![`s${w.i}`]!.map(Number) as [number, number];
    // Adjacent blocks are what makes the range ours; say so loudly if that ever stops holding.
    if (last - first !== (w.calls - 1) * SEQUENCE_BLOCK) throw new Error(`sequence ${w.sequence} handed out non-adjacent blocks`);
    out[w.i] = first;
  }
  return out;
}
