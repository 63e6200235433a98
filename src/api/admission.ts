import { availableParallelism } from 'node:os';
import { httpProblem, type HttpProblem } from './problem.js';

/** How many expensive reads may run at once. */
export interface AdmissionLimits {
  /** Per API key, running at once (default 2). */
  perKey: number;
  /** Per API key, waiting in arrival order for one of those places (default 4); beyond that, 429. */
  queuePerKey: number;
  /**
   * Evaluating at once over all keys (default: every core but one, at least one), so that one
   * core stays with the JS main thread and the writers: an editor's write is acknowledged
   * while viewers' estimates run. A streamed export gives its place back once it streams.
   */
  total: number;
}

export const DEFAULT_ADMISSION: AdmissionLimits = { perKey: 2, queuePerKey: 4, total: Math.max(1, availableParallelism() - 1) };

/**
 * A counting semaphore with a FIFO queue: `limit` holders at once, up to `queueLimit` waiting.
 * A waiter whose signal aborts leaves the queue with the signal's reason; a place given back
 * passes straight to the next waiter, so a newcomer cannot take it in between.
 */
class Gate {
  private holders = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly queueLimit: number,
    private readonly full: () => HttpProblem,
  ) {}

  get idle(): boolean {
    return this.holders === 0 && this.queue.length === 0;
  }

  load(): { running: number; waiting: number } {
    return { running: this.holders, waiting: this.queue.length };
  }

  enter(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.holders < this.limit) {
      this.holders++;
      return Promise.resolve();
    }
    if (this.queue.length >= this.queueLimit) return Promise.reject(this.full());
    return new Promise((resolve, reject) => {
      const start = (): void => {
        signal.removeEventListener('abort', leave);
        resolve();
      };
      const leave = (): void => {
        const i = this.queue.indexOf(start);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal.reason);
      };
      this.queue.push(start);
      signal.addEventListener('abort', leave, { once: true });
    });
  }

  leave(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.holders--;
  }
}

/** A read's admission: given back once, whatever happens to the read. */
export interface Ticket {
  /** The read streams now: its place among all keys' evaluations goes to the next. */
  streaming(): void;
  /** The read is over: every place it held goes to the next. */
  release(): void;
}

/**
 * Admission of expensive reads (estimates, overlaps, draft members, exports) per API key: at
 * most `perKey` of a key's run at once, its next few wait their turn, and a key that asks for
 * more is told to slow down (429 with Retry-After) rather than queueing without end; over all
 * keys at most `total` evaluate at once. A waiter whose signal aborts (its deadline passed, its
 * client went away) leaves the queue and fails with the signal's reason.
 */
export class Admission {
  private readonly keys = new Map<string, Gate>();
  private readonly all: Gate;

  constructor(
    private readonly limits: AdmissionLimits = DEFAULT_ADMISSION,
    /** Waited for once a read has its places, before it starts (writes first: see Evaluations). */
    private readonly beforeStart: (signal: AbortSignal) => Promise<void> = async () => undefined,
  ) {
    // Every waiter already holds a place in its key's queue, which bounds this one.
    this.all = new Gate(limits.total, Number.POSITIVE_INFINITY, () => httpProblem(503, 'unavailable', 'too many evaluations are waiting'));
  }

  /** Wait for a place of `key`'s, then one among all keys'. */
  async admit(key: string, signal: AbortSignal): Promise<Ticket> {
    let gate = this.keys.get(key);
    if (!gate) {
      const { perKey, queuePerKey } = this.limits;
      gate = new Gate(perKey, queuePerKey, () =>
        httpProblem(429, 'too-many-evaluations', `this key already has ${perKey} estimates, overlaps, previews or exports running and ${queuePerKey} waiting; wait for one to finish (or cancel it) and try again`),
      );
      this.keys.set(key, gate);
    }
    const own = gate;
    try {
      await own.enter(signal);
    } catch (e) {
      this.forget(key, own);
      throw e;
    }
    try {
      await this.all.enter(signal);
    } catch (e) {
      own.leave();
      this.forget(key, own);
      throw e;
    }
    let holdsAll = true;
    let released = false;
    try {
      await this.beforeStart(signal);
      if (signal.aborted) throw signal.reason;
    } catch (e) {
      this.all.leave();
      own.leave();
      this.forget(key, own);
      throw e;
    }
    return {
      streaming: () => {
        if (holdsAll && !released) this.all.leave();
        holdsAll = false;
      },
      release: () => {
        if (released) return;
        released = true;
        if (holdsAll) this.all.leave();
        own.leave();
        this.forget(key, own);
      },
    };
  }

  /** `fn` once admitted; its places given back when it ends. */
  async run<T>(key: string, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    const ticket = await this.admit(key, signal);
    try {
      return await fn();
    } finally {
      ticket.release();
    }
  }

  /** Reads running and waiting for `key` (tests, diagnostics). */
  load(key: string): { running: number; waiting: number } {
    return this.keys.get(key)?.load() ?? { running: 0, waiting: 0 };
  }

  /** Evaluations running and waiting over all keys. */
  loadAll(): { running: number; waiting: number } {
    return this.all.load();
  }

  /** An idle key's gate goes: the map holds only keys with reads running or waiting. */
  private forget(key: string, gate: Gate): void {
    if (gate.idle && this.keys.get(key) === gate) this.keys.delete(key);
  }
}
