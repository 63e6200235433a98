import type { Command } from 'commander';
import { SegmataError } from '../../errors.js';
import { withBackend } from '../context.js';
import { plural } from '../format.js';
import { readIds } from './segments.js';

const KINDS = ['contacts', 'accounts', 'leads'] as const;
type Kind = (typeof KINDS)[number];

export function registerDeleteCommand(program: Command): void {
  program
    .command('delete')
    .description('delete contacts, accounts or leads by id (live segments follow at once)')
    .argument('<kind>', KINDS.join('|'))
    .argument('[ids...]')
    .option('--file <file>', 'ids, one per line (or a CSV with an id column first)')
    .action(async (kind: string, ids: string[], opts: { file?: string }, cmd: Command) => {
      if (!KINDS.includes(kind as Kind)) throw new SegmataError('invalid_argument', `unknown kind "${kind}" (expected one of: ${KINDS.join(', ')})`);
      const list = readIds(ids, opts.file);
      await withBackend(cmd, async (backend) => {
        const n = await backend.deleteRecords(kind as Kind, list);
        console.log(`deleted ${plural(n, kind.replace(/s$/, ''), kind)}${n < list.length ? ` (${plural(list.length - n, 'unknown id')} ignored)` : ''}`);
      }, { writes: true });
    });
}
