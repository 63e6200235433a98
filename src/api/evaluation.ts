import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isSegmataError, SegmataError } from '../errors.js';
import type { SqlRunner, Store } from '../store/store.js';
import { Admission, DEFAULT_ADMISSION, type AdmissionLimits, type Ticket } from './admission.js';

/** How long an evaluation a request starts may run by default: 10 s. */
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

/** How long an admitted evaluation waits at most for the writes under way to be answered. */
const WRITE_PRIORITY_MS = 1000;

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
  /** Expensive reads per API key and overall (admission.ts); each limit not given is its default. */
  admission?: Partial<AdmissionLimits>;
}

/**
 * DuckDB error classes that say the database, not the definition, could not go on (a disk
 * full while spilling, a broken file, a bug in the engine): the client may try again later.
 */
const DATABASE_TROUBLE = /^database error: (IO|FATAL|INTERNAL|Connection|TransactionContext|Serialization) Error/i;

/** An evaluation under way for a request: its deadline, and the places it holds. */
interface Running {
  controller: AbortController;
  timer: NodeJS.Timeout;
  ticket?: Ticket;
  /** Stop the deadline, give back every place, forget the request; once, from wherever it ends. */
  finish(): void;
}

/**
 * The evaluations requests start (estimates, overlaps, members of drafts, exports, explain):
 * each runs against a deadline, after which DuckDB interrupts its statement and the request
 * gets 503 problem+json; the expensive ones are admitted through per-key and overall limits
 * first (admission.ts). They read on the store's read connections, never on the writers'
 * (ingest and the live path).
 */
export class Evaluations {
  /** The deadline in milliseconds; a change applies to evaluations started from then on. */
  timeoutMs: number;
  readonly admission: Admission;
  private readonly running = new WeakMap<FastifyRequest, Running>();
  /** Requests that may write (any but GET, HEAD and OPTIONS, and but the evaluations) not yet answered. */
  private readonly writes = new Set<FastifyRequest>();
  private quietWaiters: (() => void)[] = [];

  constructor(
    private readonly store: Store,
    options: EvaluationOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.admission = new Admission({ ...DEFAULT_ADMISSION, ...options.admission }, (signal) => this.writesDone(signal));
  }

  /**
   * An onRequest hook for an expensive route with a body (estimate): admitted before its body is
   * read, parsed and validated, so a burst of large definitions does not land on the JS main
   * thread all at once (ahead of an editor's write). The deadline runs from here.
   */
  readonly admit = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // An estimate is a read, though POSTed: writes do not wait for it.
    this.forgetWrite(request);
    const r = this.begin(request, reply);
    r.ticket ??= await this.admission.admit(keyOf(request), r.controller.signal);
  };

  /**
   * Run `fn` for `request` with a deadline (stopped also when the client goes away);
   * `expensive` ones wait for their places first, unless the route's `admit` hook took them
   * (waiting counts against the deadline). Its failures are words for the client: see
   * `evaluationError`.
   */
  async run<T>(request: FastifyRequest, reply: FastifyReply, cost: 'expensive' | 'cheap', fn: (e: Evaluation) => Promise<T>): Promise<T> {
    const r = this.begin(request, reply);
    const signal = r.controller.signal;
    try {
      if (cost === 'expensive') r.ticket ??= await this.admission.admit(keyOf(request), signal);
      const out = await fn({
        reads: this.store.reader({ signal }),
        signal,
        streaming: () => {
          clearTimeout(r.timer);
          r.ticket?.streaming();
        },
      });
      // Work in JS (explain's per-contact evaluation) is not interruptible: checked once it
      // ends (a streamed answer, already begun, ended itself).
      if (signal.aborted && !reply.sent) throw signal.reason;
      return out;
    } catch (e) {
      throw evaluationError(e, request);
    } finally {
      // `fn` returns once its answer is complete, a streamed one too: nothing is left to stop.
      r.finish();
    }
  }

  /**
   * Count the requests that may write, from their start to their answer (an onRequest hook on
   * the whole server). While any is under way, an admitted evaluation waits a moment before it
   * starts (see `writesDone`).
   */
  trackWrites(app: FastifyInstance): void {
    app.addHook('onRequest', async (request, reply) => {
      if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
      this.writes.add(request);
      reply.raw.once('close', () => this.forgetWrite(request));
    });
  }

  private forgetWrite(request: FastifyRequest): void {
    if (!this.writes.delete(request) || this.writes.size > 0) return;
    const waiters = this.quietWaiters;
    this.quietWaiters = [];
    for (const w of waiters) w();
  }

  /**
   * Resolves when no write is under way, or after WRITE_PRIORITY_MS at most. An evaluation's
   * start (its body parsed and validated, its statements begun) is work on the one JS main
   * thread that every request shares; a 1-interaction write takes ~15 statements, each of which
   * resumes on that thread, so back-to-back evaluations in between would add up to seconds for
   * it. Waiting while writes finish keeps an editor's write ahead of a viewer's estimates; the
   * bound keeps a long import from starving them (the deadline still counts).
   */
  private writesDone(signal: AbortSignal): Promise<void> {
    if (this.writes.size === 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, WRITE_PRIORITY_MS);
      signal.addEventListener('abort', done, { once: true });
      this.quietWaiters.push(done);
    });
  }

  private begin(request: FastifyRequest, reply: FastifyReply): Running {
    const known = this.running.get(request);
    if (known) return known;
    const controller = new AbortController();
    const timeout = new SegmataError(
      'timeout',
      `the evaluation took longer than this server allows (${seconds(this.timeoutMs)}) and was stopped: narrow the definition down, or try again when the server is less busy`,
    );
    const r: Running = {
      controller,
      timer: setTimeout(() => controller.abort(timeout), this.timeoutMs),
      finish: () => {
        clearTimeout(r.timer);
        r.ticket?.release();
        reply.raw.off('close', closed);
        this.running.delete(request);
      },
    };
    // The answer's connection closed: before the answer was written, the client went away (its
    // reads need not go on); either way, whatever the request still holds is given back (an
    // admitted request refused later, by its body's validation, never reaches `run`).
    const closed = (): void => {
      if (!reply.raw.writableFinished) controller.abort(new SegmataError('unavailable', 'the client went away before the answer'));
      r.finish();
    };
    reply.raw.once('close', closed);
    this.running.set(request, r);
    return r;
  }
}

/** Whose places an expensive read takes: its key's (every route that evaluates needs one). */
function keyOf(request: FastifyRequest): string {
  return request.apiKey?.id ?? `address ${request.ip}`;
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
