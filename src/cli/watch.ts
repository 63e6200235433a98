import type { Engine } from '../engine/engine.js';
import { LiveLoop, type LoopHooks } from '../engine/live/loop.js';

export type FollowOptions = Pick<LoopHooks, 'afterEach' | 'ready'>;

/**
 * Keep live segments current until interrupted (see LiveLoop). SIGINT/SIGTERM are taken
 * before the first pass, so an interrupt at any point — the catch-up included — ends the loop
 * and lets the caller close the database cleanly.
 */
export async function followLive(engine: Engine, options: FollowOptions = {}): Promise<void> {
  const loop = new LiveLoop(engine.live, engine.clock);
  const stop = (): void => void loop.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await loop.run(options);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
