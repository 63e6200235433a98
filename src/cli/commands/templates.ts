import type { Command } from 'commander';
import { SegmataError } from '../../errors.js';
import { getTemplate, instantiateTemplate, listTemplates } from '../../engine/templates/index.js';
import { withBackend } from '../context.js';
import { table } from '../format.js';

function parseParams(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new SegmataError('invalid_argument', `--param: expected key=value, got "${p}"`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

export function registerTemplateCommands(program: Command): void {
  const t = program.command('templates').description('ready-made segment templates');

  t.command('list')
    .description('all templates')
    .action(() => {
      console.log(table(['NAME', 'CATEGORY', 'DESCRIPTION'], listTemplates().map((x) => [x.name, x.category, x.description])));
    });

  t.command('show')
    .description('a template\'s description, parameters and example definition')
    .argument('<name>')
    .action((name: string) => {
      const x = getTemplate(name);
      console.log(`${x.title} (${x.name})\n${x.description}\n\nparameters:`);
      for (const p of x.params) {
        const dflt = p.default === undefined ? '' : ` (default: ${Array.isArray(p.default) ? p.default.join(',') : String(p.default)})`;
        console.log(`  ${p.name}: ${p.type}${p.required ? ', required' : ''}${dflt} — ${p.description}`);
      }
      const example = Object.fromEntries(x.params.filter((p) => p.required && p.default === undefined).map((p) => [p.name, 'VALUE']));
      console.log(`\nuse: segmata templates use ${x.name}${Object.keys(example).map((k) => ` --param ${k}=…`).join('')}`);
    });

  t.command('use')
    .description('create a draft segment from a template')
    .argument('<name>')
    .option('--param <key=value>', 'a template parameter (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--id <id>', 'id of the new segment')
    .option('--name <name>', 'name of the new segment')
    .option('--print', 'print the definition instead of saving it')
    .action(async (name: string, opts: { param: string[]; id?: string; name?: string; print?: boolean }, cmd: Command) => {
      const def = instantiateTemplate(name, parseParams(opts.param), {
        ...(opts.id ? { id: opts.id } : {}),
        ...(opts.name ? { name: opts.name } : {}),
      });
      if (opts.print) {
        console.log(JSON.stringify(def, null, 2));
        return;
      }
      await withBackend(cmd, async (backend) => {
        const s = await backend.segments.create(def);
        console.log(`created draft segment ${s.id} from template ${name}; go live with: segmata segments go-live ${s.id}`);
      });
    });
}
