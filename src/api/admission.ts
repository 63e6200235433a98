import { httpProblem } from './problem.js';

/** How many expensive reads one API key may have at once. */
export interface AdmissionLimits {
  /** Running at once (default 2). */
  perKey: number;
  /** Waiting, in arrival order, for one of those places (default 4); beyond that, 429. */
  queuePerKey: number;
}

export const DEFAULT_ADMISSION: AdmissionLimits = { perKey: 2, queuePerKey: 4 };

interface KeyState {
  running: number;
  /** Waiters in arrival order; each starts its read when called. */
  queue: (() => void)[];
}

/**
 * Admission of expensive reads (estimates, overlaps, draft members, exports) per API key: at
 * most `perKey` run at once, the next few wait their turn, and a key that asks for more than
 * that is told to slow down (429 with Retry-After) rather than queueing without end. A waiter
 * whose signal aborts (its deadline passed, its client went away) leaves the queue and fails
 * with the signal's reason. One key's burst thus never takes more than `perKey` read
 * connections, and never any of the writers' (ingest, live processing).
 */
export class Admission {
  private readonly keys = new Map<string, KeyState>();

  constructor(private readonly limits: AdmissionLimits = DEFAULT_ADMISSION) {}

  async run<T>(key: string, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    const state = this.keys.get(key) ?? { running: 0, queue: [] };
    this.keys.set(key, state);
    try {
      await this.enter(state, signal);
    } catch (e) {
      this.forget(key, state);
      throw e;
    }
    try {
      return await fn();
    } finally {
      const next = state.queue.shift();
      // The place passes straight to the next waiter: a newcomer cannot take it in between.
      if (next) next();
      else state.running--;
      this.forget(key, state);
    }
  }

  /** Reads running and waiting for `key` (tests, diagnostics). */
  load(key: string): { running: number; waiting: number } {
    const s = this.keys.get(key);
    return { running: s?.running ?? 0, waiting: s?.queue.length ?? 0 };
  }

  private enter(state: KeyState, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (state.running < this.limits.perKey) {
      state.running++;
      return Promise.resolve();
    }
    if (state.queue.length >= this.limits.queuePerKey) {
      return Promise.reject(
        httpProblem(
          429,
          'too-many-evaluations',
          `this key already has ${state.running} estimates, overlaps, previews or exports running and ${state.queue.length} waiting; wait for one to finish (or cancel it) and try again`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const start = (): void => {
        signal.removeEventListener('abort', leave);
        resolve();
      };
      const leave = (): void => {
        const i = state.queue.indexOf(start);
        if (i >= 0) state.queue.splice(i, 1);
        reject(signal.reason);
      };
      state.queue.push(start);
      signal.addEventListener('abort', leave, { once: true });
    });
  }

  /** An idle key's entry goes: the map holds only keys with reads running or waiting. */
  private forget(key: string, state: KeyState): void {
    if (state.running === 0 && state.queue.length === 0) this.keys.delete(key);
  }
}
