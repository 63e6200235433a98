import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { clockFrom } from '../engine/clock.js';
import { Engine, dbPathFrom } from '../engine/engine.js';
import { SegmataError } from '../errors.js';
import type { Backend } from './backend.js';
import { localBackend } from './local.js';
import { remoteBackend } from './remote.js';

export interface GlobalOptions {
  db?: string;
  now?: string;
  server?: string;
  key?: string;
}

/** The server named by --server / SEGMATA_SERVER, with its key (--key / SEGMATA_KEY), if any. */
function serverOf(cmd: Command): { url: string; key: string } | undefined {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const url = opts.server ?? process.env.SEGMATA_SERVER;
  if (!url) return undefined;
  const key = opts.key ?? process.env.SEGMATA_KEY;
  if (!key) throw new SegmataError('invalid_argument', `--server ${url}: give an API key with --key KEY (or SEGMATA_KEY)`);
  if (opts.db) throw new SegmataError('invalid_argument', 'give either --db (a local database) or --server (a running server), not both');
  if (opts.now) throw new SegmataError('invalid_argument', '--now works on a local database only (a server evaluates on its own clock)');
  return { url, key };
}

/** `segments members`, `keys list`: the command as typed, without the program's name. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Run a command on a local database (the engine, opened and closed around it) or, with
 * --server, through that server's HTTP API: the same commands, the same output.
 */
export async function withBackend<T>(cmd: Command, fn: (backend: Backend) => Promise<T>, options: { writes?: boolean } = {}): Promise<T> {
  const server = serverOf(cmd);
  if (server) return fn(remoteBackend(server.url, server.key));
  return withEngine(cmd, (engine) => fn(localBackend(engine)), options);
}

/** Open the engine named by --db / SEGMATA_DB with the clock of --now / SEGMATA_NOW, run, close. */
export async function withEngine<T>(cmd: Command, fn: (engine: Engine) => Promise<T>, options: { writes?: boolean; resident?: boolean } = {}): Promise<T> {
  if (serverOf(cmd)) throw new SegmataError('invalid_argument', `"${commandPath(cmd)}" works on a local database only (drop --server / SEGMATA_SERVER)`);
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
