import type { Command } from 'commander';
import { withEngine } from '../context.js';
import { plural } from '../format.js';
import { followLive } from '../watch.js';

export function registerWatchCommand(program: Command): void {
  program
    .command('watch')
    .description('keep live segments current as time passes and queued changes arrive, printing each change (Ctrl-C to stop)')
    .action(async (_o: unknown, cmd: Command) =>
      withEngine(cmd, async (engine) => {
        const unsubscribe = engine.live.subscribe((changes) => {
          for (const c of changes) process.stdout.write(`${c.at.toISOString()}\t${c.segmentId}\t${c.change}\t${c.contactId}\t${c.cause}\n`);
        });
        try {
          await followLive(engine, {
            ready: (caughtUp) => process.stderr.write(`segmata watch: caught up (${plural(caughtUp.contacts, 'contact')}, ${plural(caughtUp.changes, 'change')}); watching\n`),
          });
        } finally {
          unsubscribe();
        }
      }, { resident: true }),
    );
}
