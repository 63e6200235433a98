import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { clockFrom } from '../engine/clock.js';
import { Engine, dbPathFrom } from '../engine/engine.js';
import { SegmataError } from '../errors.js';

export interface GlobalOptions {
  db?: string;
  now?: string;
}

/** Open the engine named by --db / SEGMATA_DB with the clock of --now / SEGMATA_NOW, run, close. */
export async function withEngine<T>(cmd: Command, fn: (engine: Engine) => Promise<T>, options: { writes?: boolean; resident?: boolean } = {}): Promise<T> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const engine = await Engine.open({ db: dbPathFrom(opts.db), clock: clockFrom(opts.now), resident: options.resident ?? false });
  try {
    const out = await fn(engine);
    // A one-shot write brings live segments up to date before exiting, so a CLI-only user
    // sees the same memberships a running server would keep.
    if (options.writes) await engine.live.processPending();
    return out;
  } finally {
    await engine.close();
  }
}

export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SegmataError('invalid_argument', `${path}: cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new SegmataError('invalid_argument', `${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** Write to stdout, respecting backpressure so huge exports stream with flat memory. */
export async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise<void>((r) => process.stdout.once('drain', () => r()));
}
