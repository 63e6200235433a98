import type { SqlRunner } from './store.js';

/** The step of the live path's sequences (migration 4): each nextval hands out this many consecutive values. */
export const SEQUENCE_BLOCK = 1024;

/**
 * Take `n` consecutive values of a block sequence (migration 4): ⌈n / SEQUENCE_BLOCK⌉ calls,
 * each handing out a block. The connection is the database's only user, so successive blocks
 * are adjacent and [first, first + n) is ours.
 */
export async function takeSequence(tx: SqlRunner, sequence: string, n: number): Promise<number> {
  const calls = Math.ceil(n / SEQUENCE_BLOCK);
  const [row] = await tx.all<{ first: number; last: number }>(`SELECT min(s) AS first, max(s) AS last FROM (SELECT nextval('${sequence}') AS s FROM range(${calls}))`);
  const first = Number(row!.first);
  // Adjacent blocks are what makes the range ours; say so loudly if that ever stops holding.
  if (Number(row!.last) - first !== (calls - 1) * SEQUENCE_BLOCK) throw new Error(`sequence ${sequence} handed out non-adjacent blocks`);
  return first;
}
