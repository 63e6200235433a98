import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { isSegmataError } from '../errors.js';
import { registerDeleteCommand } from './commands/delete.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerImportCommand } from './commands/import.js';
import { registerKeyCommands } from './commands/keys.js';
import { registerSchemaCommands } from './commands/schema.js';
import { registerSegmentCommands } from './commands/segments.js';
import { registerServeCommand } from './commands/serve.js';
import { registerTemplateCommands } from './commands/templates.js';
import { registerWatchCommand } from './commands/watch.js';

/**
 * The version in Segmata's package.json: the nearest one up from this file, which runs from
 * src/cli (through tsx) or from dist/src/cli (compiled).
 */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
    if (pkg.name === 'segmata' && typeof pkg.version === 'string') return pkg.version;
  }
  return 'unknown';
}

export function buildProgram(): Command {
  const program = new Command('segmata')
    .description('Segmata — open-source marketing segmentation: live segments over contacts, accounts and interactions')
    .option('--db <path>', 'database file (default: $SEGMATA_DB or ./segmata.duckdb)')
    .option('--now <iso>', 'evaluate as of this instant (default: $SEGMATA_NOW or the system clock)')
    .option('--server <url>', 'work through a running server\'s HTTP API instead of a local database (default: $SEGMATA_SERVER)')
    .option('--key <key>', 'the API key for --server (default: $SEGMATA_KEY)')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerImportCommand(program);
  registerSchemaCommands(program);
  registerSegmentCommands(program);
  registerTemplateCommands(program);
  registerDemoCommand(program);
  registerWatchCommand(program);
  registerDeleteCommand(program);
  registerServeCommand(program);
  registerKeyCommands(program);
  return program;
}

/** Run the CLI; any failure ends with a one-line reason on stderr and a non-zero status. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander already printed why
    if (isSegmataError(e)) {
      process.stderr.write(`segmata: ${e.message}\n`);
      return e.code === 'invalid_argument' || e.code === 'invalid_definition' || e.code === 'invalid_import' ? 2 : 1;
    }
    process.stderr.write(`segmata: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.SEGMATA_DEBUG) console.error(e);
    return 1;
  }
}
