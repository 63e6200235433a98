import { SegmataError } from '../../errors.js';

/**
 * A DuckDB failure as the engine's error. Running out of memory or being interrupted says
 * nothing about the statement, only that the database could not finish it now: `unavailable`
 * (an API answers 503, try again later). The rest stays `store`, with DuckDB's message, for the
 * caller to judge: an evaluation's failure is the definition's (see api/evaluation.ts), any
 * other a fault of the server.
 */
export function storeError(e: unknown): SegmataError {
  const message = e instanceof Error ? e.message : String(e);
  if (message.startsWith('INTERRUPT Error')) return new SegmataError('unavailable', 'the query was interrupted before it finished');
  if (message.startsWith('Out of Memory Error')) return new SegmataError('unavailable', 'the database ran out of memory for this query; try again later, or narrow it down');
  return new SegmataError('store', `database error: ${message}`);
}

/**
 * Why a read stopped by its signal failed: the signal's reason when that is the engine's error
 * (the API aborts with its own `timeout`), else a generic `timeout`.
 */
export function stoppedBy(signal: AbortSignal): SegmataError {
  return signal.reason instanceof SegmataError ? signal.reason : new SegmataError('timeout', 'the read was stopped before it finished');
}
