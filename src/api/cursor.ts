import { httpProblem, type HttpProblem } from './problem.js';

/**
 * Page cursors are opaque to clients: base64url of a small JSON object. A cursor that does not
 * decode to what was issued is refused with a clear 400, never read as "from the start".
 */
export function encodeCursor(after: string): string {
  return Buffer.from(JSON.stringify({ a: after })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object' && typeof (value as { a?: unknown }).a === 'string') return (value as { a: string }).a;
  } catch {
    // refused below
  }
  throw badCursor();
}

/** The refusal of a cursor this API did not issue (or whose content does not fit its route). */
export function badCursor(): HttpProblem {
  return httpProblem(400, 'bad-cursor', 'query.cursor: not a cursor this API issued (pass back the "next" of a previous page unchanged)', [
    { path: 'query.cursor', message: 'not a valid cursor' },
  ]);
}
