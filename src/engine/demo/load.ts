import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../engine.js';
import { generateDataset } from './generate.js';
import { demoSegments } from './segments.js';

export interface DemoSize {
  contacts: number;
  accounts: number;
  interactions: number;
  seed: number;
}

/** Does the database hold any contact already (then the demo is not loaded over it)? */
export async function holdsData(engine: Engine): Promise<boolean> {
  const [row] = await engine.store.all<{ n: number }>('SELECT count(*) AS n FROM contacts');
  return (row?.n ?? 0) > 0;
}

/**
 * Generate the demo data set, import it, and create the demo segments and take them live.
 * `onProgress(phase, percent)` follows it.
 */
export async function loadDemo(engine: Engine, size: DemoSize, onProgress: (phase: string, percent: number) => void = () => undefined): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'segmata-demo-'));
  try {
    const { files } = await generateDataset({
      dir,
      ...size,
      now: engine.clock(),
      onProgress: (done, total) => onProgress('generating', (done / Math.max(total, 1)) * 50),
    });
    const order = ['accounts', 'contacts', 'leads', 'interactions'] as const;
    for (const [i, kind] of order.entries()) {
      await engine.importFile(kind, files[kind], { onProgress: () => onProgress(`importing ${kind}`, 50 + (i / order.length) * 40) });
    }
    // Nothing is live yet: this just clears the change queue the imports filled.
    await engine.live.processPending();
    onProgress('segments', 95);
    for (const def of demoSegments()) {
      const s = await engine.segments.create(def);
      await engine.segments.goLive(s.id);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
