import type { Clock } from '../clock.js';
import { Sleeper } from '../sleeper.js';
import type { LiveProcessor, ProcessResult } from './processor.js';

const MAX_SLEEP_MS = 1_000;

export interface LoopHooks {
  /** After each pass (e.g. print what the log gained). */
  afterEach?: () => Promise<void>;
  /** Once, after the first pass (the catch-up), with what it did. */
  ready?: (caughtUp: ProcessResult) => void;
  /** A pass failed; the loop goes on with the next one. Without it, the failure ends the loop. */
  onError?: (e: unknown) => void;
}

/**
 * Keeps live segments current until stopped: applies queued changes and every time boundary
 * the moment it passes. No periodic recompute: it sleeps until the next scheduled boundary,
 * at most a second (so changes queued by other writers are picked up promptly), or until
 * `wake`. Used by `segmata watch` and the server.
 */
export class LiveLoop {
  private stopping = false;
  private readonly sleeper = new Sleeper();
  private done: Promise<void> | undefined;

  constructor(
    private readonly live: LiveProcessor,
    private readonly clock: Clock,
  ) {}

  /** Run until `stop`; resolves then (or rejects with a pass's failure when there is no `onError`). */
  run(hooks: LoopHooks = {}): Promise<void> {
    this.done ??= this.loop(hooks);
    return this.done;
  }

  /** Do the next pass now. */
  wake(): void {
    this.sleeper.wake();
  }

  /** End the loop after the pass under way; resolves when it has ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeper.wake();
    await this.done?.catch(() => undefined);
  }

  private async loop(hooks: LoopHooks): Promise<void> {
    let first = true;
    while (!this.stopping) {
      try {
        const done = await this.live.processPending();
        // Housekeeping between passes: deferred memberships (in the background), checkpoints.
        await this.live.maintain();
        await hooks.afterEach?.();
        if (first) hooks.ready?.(done);
        first = false;
      } catch (e) {
        if (!hooks.onError) throw e;
        hooks.onError(e);
      }
      if (this.stopping) break;
      const due = await this.live.nextScheduled().catch(() => undefined);
      const wait = due ? Math.max(0, Math.min(MAX_SLEEP_MS, due.getTime() - this.clock().getTime())) : MAX_SLEEP_MS;
      await this.sleeper.sleep(wait);
    }
  }
}
