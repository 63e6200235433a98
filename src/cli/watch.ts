import type { Engine } from '../engine/engine.js';

const MAX_SLEEP_MS = 1_000;

/**
 * Keep live segments current until interrupted: apply queued changes and every time
 * boundary the moment it passes. No periodic recompute: it sleeps until the next scheduled
 * boundary (capped so changes queued by this process's own writes are picked up promptly).
 */
export async function followLive(engine: Engine, afterEach: () => Promise<void> = async () => undefined): Promise<void> {
  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = (): void => {
    stopping = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    while (!stopping) {
      await engine.live.processPending();
      // Deferred memberships reach the table between batches, not inside them.
      await engine.live.maintain();
      await afterEach();
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
