import type { Command } from 'commander';
import { SegmataError } from '../../errors.js';
import { recordKindOf } from '../../engine/import/columns.js';
import { describeUnknownReferences } from '../../engine/import/references.js';
import { withBackend } from '../context.js';
import { plural } from '../format.js';
import { progressBar } from '../progress.js';

const KINDS = ['contacts', 'accounts', 'leads', 'interactions'] as const;
type Kind = (typeof KINDS)[number];

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('import a CSV or JSONL file of contacts, accounts, leads or interactions (all or nothing unless --skip-bad-rows)')
    .argument('<kind>', KINDS.join('|'))
    .argument('<file>', '.csv (header row) or .jsonl (one object per line)')
    .option('--skip-bad-rows', 'import the good rows and report the bad ones')
    .action(async (kind: string, file: string, opts: { skipBadRows?: boolean }, cmd: Command) => {
      if (!KINDS.includes(kind as Kind)) throw new SegmataError('invalid_argument', `unknown import kind "${kind}" (expected one of: ${KINDS.join(', ')})`);
      await withBackend(cmd, async (backend) => {
        const bar = progressBar(`import ${kind}`);
        try {
          const r = await backend.importFile(kind as Kind, file, {
            skipBadRows: opts.skipBadRows ?? false,
            onProgress: (p) => bar.update(p.phase, p.percent),
          });
          bar.stop();
          const parts = [`${plural(r.rows, 'row')} read`, `${r.inserted} inserted`];
          if (kind !== 'interactions') parts.push(`${r.updated} updated`);
          if (r.skipped) parts.push(`${r.skipped} skipped as already stored`);
          if (r.bad.length) parts.push(`${plural(r.badCount ?? r.bad.length, 'bad row')} skipped`);
          const unknown = describeUnknownReferences(recordKindOf(kind as Kind), r.unknownReferences);
          console.log(`${file}: ${parts.join(', ')} in ${(r.ms / 1000).toFixed(1)} s${unknown.length ? ` (${unknown.join(', ')})` : ''}`);
          for (const b of r.bad.slice(0, 20)) console.error(`  ${file}:${b.line}${b.column ? ` column "${b.column}"` : ''}: ${b.reason}`);
          if (r.bad.length > 20) console.error(`  … and ${(r.badCount ?? r.bad.length) - 20} more`);
        } finally {
          bar.stop();
        }
      }, { writes: true });
    });
}
