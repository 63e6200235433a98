import type { FastifyReply, FastifyRequest } from 'fastify';
import { isSegmataError, SegmataError } from '../errors.js';
import type { SqlRunner, Store } from '../store/store.js';
import { Admission, DEFAULT_ADMISSION, type AdmissionLimits } from './admission.js';

/** How long an evaluation a request starts may run by default: 10 s. */
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

/**
 * A duration as `--query-timeout` and SEGMATA_QUERY_TIMEOUT take it: `10s`, `1500ms`, `2m`, or
 * a bare number of milliseconds; at least 1 ms and at most an hour.
 */
export function parseDuration(text: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  const ms = m ? Number(m[1]) * UNITS[m[2] ?? 'ms']! : NaN;
  if (!Number.isFinite(ms) || ms < 1 || ms > 3_600_000) {
    throw new SegmataError('invalid_argument', `${what}: expected a duration such as 10s, 1500ms or 2m (1 ms to 60 m), got "${text}"`);
  }
  return Math.round(ms);
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** What an evaluation's work is handed: reads stopped at the deadline, and the signal itself. */
export interface Evaluation {
  /** The read connections; their statements are interrupted when `signal` aborts. */
  reads: SqlRunner;
  signal: AbortSignal;
  /**
   * A streamed answer has begun: from here the deadline no longer applies (a large export takes
   * as long as its client reads), but a client going away still stops it.
   */
  streaming(): void;
}

export interface EvaluationOptions {
  /** Deadline of each evaluation in milliseconds (default 10 s). */
  timeoutMs?: number;
  /** Expensive reads per API key (default 2 running, 4 waiting). */
  admission?: AdmissionLimits;
}

/**
 * DuckDB error classes that say the database, not the definition, could not go on (a disk
 * full while spilling, a broken file, a bug in the engine): the client may try again later.
 */
const DATABASE_TROUBLE = /^database error: (IO|FATAL|INTERNAL|Connection|TransactionContext|Serialization) Error/i;

/**
 * The evaluations requests start (estimates, overlaps, members of drafts, exports, explain):
 * each runs against a deadline, after which DuckDB interrupts its statement and the request
 * gets 503 problem+json; the expensive ones are admitted through a per-key limit first. They
 * read on the store's read connections, never on the writers' (ingest and the live path).
 */
export class Evaluations {
  /** The deadline in milliseconds; a change applies to evaluations started from then on. */
  timeoutMs: number;
  readonly admission: Admission;

  constructor(
    private readonly store: Store,
    options: EvaluationOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.admission = new Admission(options.admission ?? DEFAULT_ADMISSION);
  }

  /**
   * Run `fn` for `request` with a deadline (stopped also when the client goes away);
   * `expensive` ones wait for a place among the key's (queued time counts against the deadline).
   * Its failures are words for the client: see `evaluationError`.
   */
  async run<T>(request: FastifyRequest, reply: FastifyReply, cost: 'expensive' | 'cheap', fn: (e: Evaluation) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const timeout = new SegmataError(
      'timeout',
      `the evaluation took longer than this server allows (${seconds(this.timeoutMs)}) and was stopped: narrow the definition down, or try again when the server is less busy`,
    );
    const timer = setTimeout(() => controller.abort(timeout), this.timeoutMs);
    // 'close' before the answer was written: the client went away (its reads need not go on).
    const gone = (): void => {
      clearTimeout(timer);
      if (!reply.raw.writableFinished) controller.abort(new SegmataError('unavailable', 'the client went away before the answer'));
    };
    reply.raw.once('close', gone);
    const evaluation: Evaluation = {
      reads: this.store.reader({ signal: controller.signal }),
      signal: controller.signal,
      streaming: () => clearTimeout(timer),
    };
    const key = request.apiKey?.id ?? `address ${request.ip}`;
    try {
      const work = async (): Promise<T> => {
        const out = await fn(evaluation);
        // Work in JS (explain's per-contact evaluation) is not interruptible: checked once it
        // ends (a streamed answer, already begun, ended itself).
        if (controller.signal.aborted && !reply.sent) throw controller.signal.reason;
        return out;
      };
      return await (cost === 'expensive' ? this.admission.run(key, controller.signal, work) : work());
    } catch (e) {
      throw evaluationError(e, request);
    } finally {
      // `fn` returns once its answer is complete, a streamed one too: nothing is left to stop.
      reply.raw.off('close', gone);
      clearTimeout(timer);
    }
  }
}

/**
 * A failure while evaluating as the client's reason, never a bare 500: DuckDB's failures on a
 * definition (a value out of a type's range, a nesting the parser cannot take) are the
 * definition's (422, DuckDB's first line as the reason); a database that could not go on
 * (out of memory, interrupted, a disk full) is 503; so is the deadline. The engine's own errors
 * (not found, invalid definition) pass as they are, and so do true bugs (500, nothing shown).
 * Each is logged with the request's id.
 */
export function evaluationError(e: unknown, request: FastifyRequest): unknown {
  if (isSegmataError(e)) {
    // A timeout or unavailable database is a 503, which the server's error handler logs.
    if (e.code !== 'store') return e;
    request.log.warn({ err: e }, 'evaluation failed in the database');
    if (DATABASE_TROUBLE.test(e.message)) return new SegmataError('unavailable', 'the database could not complete this evaluation; try again later');
    const reason = e.message.replace(/^database error: /, '').split('\n')[0]!;
    return new SegmataError('evaluation_failed', `the definition could not be evaluated: ${reason}`);
  }
  // A definition the JS side cannot take (too deep for the stack, an instant out of range).
  if (e instanceof RangeError) {
    request.log.warn({ err: e }, 'evaluation failed');
    return new SegmataError('evaluation_failed', `the definition could not be evaluated: ${e.message}`);
  }
  return e;
}
