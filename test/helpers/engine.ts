import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../src/engine/clock.js';
import { Engine } from '../../src/engine/engine.js';

export const TEST_NOW = '2024-06-01T12:00:00Z';

/** An engine on an in-memory database with the clock fixed at `now`. */
export async function memoryEngine(now = TEST_NOW): Promise<Engine> {
  return Engine.open({ db: ':memory:', clock: fixedClock(now) });
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'segmata-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
