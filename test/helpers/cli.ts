import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The `segmata` binary. */
export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'segmata.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the real `segmata` binary, as a user would after `npm install`. */
export async function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { ...(options.cwd ? { cwd: options.cwd } : {}), env: { ...process.env, ...options.env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
