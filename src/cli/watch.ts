import type { Engine } from '../engine/engine.js';
import type { ProcessResult } from '../engine/live/processor.js';

const MAX_SLEEP_MS = 1_000;

export interface FollowOptions {
  /** After each pass (e.g. print what the log gained). */
  afterEach?: () => Promise<void>;
  /** Once, after the first pass (the catch-up), with what it did. */
  ready?: (caughtUp: ProcessResult) => void;
}

/**
 * Keep live segments current until interrupted: apply queued changes and every time
 * boundary the moment it passes. No periodic recompute: it sleeps until the next scheduled
 * boundary (capped so changes queued by this process's own writes are picked up promptly).
 * SIGINT/SIGTERM are taken before the first pass, so an interrupt at any point — the catch-up
 * included — ends the loop and lets the caller close the database cleanly.
 */
export async function followLive(engine: Engine, options: FollowOptions = {}): Promise<void> {
  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = (): void => {
    stopping = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    let first = true;
    while (!stopping) {
      const done = await engine.live.processPending();
      // Housekeeping between passes: deferred memberships (in the background), checkpoints.
      await engine.live.maintain();
      await options.afterEach?.();
      if (first) options.ready?.(done);
      first = false;
      if (stopping) break;
      const due = await engine.live.nextScheduled();
      const wait = due ? Math.max(0, Math.min(MAX_SLEEP_MS, due.getTime() - engine.clock().getTime())) : MAX_SLEEP_MS;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, wait);
      });
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
