import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { SegmataError } from '../errors.js';
import type { Row } from '../store/store.js';
import type { Evaluation } from './evaluation.js';

export interface StreamedRead {
  /** Response headers, set only once the answer is sure to be the stream (not a problem). */
  headers: Record<string, string>;
  /** Text written before the rows (a CSV header line). */
  head: string;
  /** Read the rows, handing each chunk to `onRows` and waiting for it (backpressure). */
  read: (onRows: (rows: Row[]) => Promise<void>) => Promise<void>;
  /** A chunk of rows as text. */
  render: (rows: Row[]) => string;
  /** A client that takes nothing for this long ends the answer (it would hold a read connection). */
  idleMs: number;
  /** A failure once the answer has begun: it can only be cut short, so the server logs why. */
  failed: (e: unknown) => void;
}

/** Wait until `out` wants more, or has closed; a client that takes nothing for `idleMs` ends it. */
function drained(out: PassThrough, idleMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    const timer = setTimeout(() => out.destroy(), idleMs);
    out.once('drain', done);
    out.once('close', done);
  });
}

/**
 * Answer with rows streamed as text, for an evaluation (a members export). The answer starts
 * only with the first rows, or the end of none: until then a failure (the deadline, a
 * definition the database cannot evaluate) is still answered as problem+json. From the first
 * rows on the deadline no longer applies (a large export takes as long as its client reads),
 * a chunk is read only when the client took the last, and a client that goes away or stalls
 * ends the read, so no read connection is held for nothing.
 */
export async function sendStreamed(reply: FastifyReply, evaluation: Evaluation, s: StreamedRead): Promise<FastifyReply> {
  const out = new PassThrough();
  out.write(s.head);
  let begin!: () => void;
  const begun = new Promise<void>((resolve) => (begin = resolve));
  const reading = s.read(async (rows) => {
    begin();
    if (out.destroyed) throw new SegmataError('unavailable', 'the client went away');
    if (!out.write(s.render(rows))) await drained(out, s.idleMs);
  });
  try {
    await Promise.race([begun, reading]);
  } catch (e) {
    out.destroy();
    throw e;
  }
  evaluation.streaming();
  reply.headers(s.headers).send(out);
  try {
    await reading;
    out.end();
  } catch (e) {
    if (!evaluation.signal.aborted && !out.destroyed) s.failed(e);
    out.destroy();
  }
  return reply;
}
