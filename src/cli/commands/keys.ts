import type { Command } from 'commander';
import { listKeys, parseRole, revokeKey } from '../../engine/access/keys.js';
import { withBackend, withEngine } from '../context.js';
import { table } from '../format.js';

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('API keys of the HTTP server (roles: viewer, editor, admin)');

  keys
    .command('create')
    .description('create a key and print it on stdout (shown once; stored hashed)')
    .requiredOption('--role <role>', 'viewer | editor | admin')
    .option('--name <name>', 'what the key is for')
    .action(async (opts: { role: string; name?: string }, cmd: Command) =>
      withBackend(cmd, async (backend) => {
        const role = parseRole(opts.role);
        const key = await backend.createKey(role, opts.name ?? `${role} key`);
        process.stdout.write(`${key.key}\n`);
        process.stderr.write(`created ${key.id} (${key.role}, "${key.name}")\n`);
      }),
    );

  keys
    .command('list')
    .description('keys with their role and state (never their secrets)')
    .action(async (_o: unknown, cmd: Command) =>
      withEngine(cmd, async (engine) => {
        const all = await listKeys(engine.store);
        console.log(table(['ID', 'PREFIX', 'ROLE', 'NAME', 'CREATED', 'REVOKED'], all.map((k) => [k.id, `${k.prefix}…`, k.role, k.name, k.createdAt.toISOString(), k.revokedAt?.toISOString() ?? ''])));
      }),
    );

  keys
    .command('revoke')
    .description('revoke a key by its id')
    .argument('<id>')
    .action(async (id: string, _o: unknown, cmd: Command) =>
      withEngine(cmd, async (engine) => {
        const k = await revokeKey(engine.store, id, engine.clock());
        console.log(`revoked ${k.id} (${k.role}, "${k.name}")`);
      }),
    );
}
