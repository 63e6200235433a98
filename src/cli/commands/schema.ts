import type { Command } from 'commander';
import { SegmataError } from '../../errors.js';
import { RELATIONS } from '../../schema/defaults.js';
import { LABEL_OWNERS, makeLabels, type LabelOwner } from '../../schema/labels.js';
import { ATTRIBUTE_TYPES, RECORD_KINDS, type AttributeType, type RecordKind } from '../../schema/types.js';
import { withBackend } from '../context.js';
import { table } from '../format.js';

export function registerSchemaCommands(program: Command): void {
  const schema = program.command('schema').description('inspect and extend the schema registry');

  schema
    .command('show')
    .description('entities, attributes and interaction types')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) =>
      withBackend(cmd, async (backend) => {
        const snap = await backend.schema();
        if (opts.json) {
          console.log(JSON.stringify(snap, null, 2));
          return;
        }
        const labels = makeLabels(snap.labels);
        for (const kind of RECORD_KINDS) {
          const attrs = snap.attributes.filter((a) => a.entity === kind);
          console.log(`${kind === 'interaction' ? 'interaction properties' : kind}:`);
          console.log(indent(table(['NAME', 'TYPE', 'QUERYABLE', 'ORIGIN', 'LABEL'], attrs.map((a) => [a.name, a.type, a.queryable ? 'yes' : 'no', a.builtin ? 'default' : 'custom', labels.of(kind, a.name)]))));
          console.log('');
        }
        console.log('relations:');
        console.log(indent(table(['NAME', 'FROM', 'TO', 'LABEL'], RELATIONS.map((r) => [`${r.from}.${r.name}`, `${r.from}.${r.via}`, r.to, labels.of(r.from, r.name)]))));
        console.log('');
        console.log('interaction types:');
        console.log(indent(table(['NAME', 'QUERYABLE', 'ORIGIN', 'LABEL'], snap.interactionTypes.map((t) => [t.name, t.queryable ? 'yes' : 'no', t.builtin ? 'standard' : 'custom', labels.of('interaction_type', t.name)]))));
      }),
    );

  schema
    .command('add-attribute')
    .description(`add a typed attribute; ENTITY is one of ${RECORD_KINDS.join(', ')} (interaction = a property), TYPE one of ${ATTRIBUTE_TYPES.join(', ')}`)
    .argument('<entity>')
    .argument('<name>')
    .argument('<type>')
    .option('--not-queryable', 'store it but keep it out of segment conditions')
    .action(async (entity: string, name: string, type: string, opts: { notQueryable?: boolean }, cmd: Command) => {
      if (!RECORD_KINDS.includes(entity as RecordKind)) throw new SegmataError('invalid_argument', `unknown entity "${entity}" (expected one of: ${RECORD_KINDS.join(', ')})`);
      if (!ATTRIBUTE_TYPES.includes(type as AttributeType)) throw new SegmataError('invalid_argument', `unknown type "${type}" (expected one of: ${ATTRIBUTE_TYPES.join(', ')})`);
      await withBackend(cmd, async (backend) => {
        await backend.addAttribute(entity as RecordKind, name, type as AttributeType, !opts.notQueryable);
        console.log(`added ${type} attribute ${entity}.${name}${opts.notQueryable ? ' (not queryable)' : ''}`);
      });
    });

  schema
    .command('add-interaction-type')
    .description('declare a custom interaction type')
    .argument('<name>')
    .option('--not-queryable', 'accept it on import but keep it out of segments')
    .action(async (name: string, opts: { notQueryable?: boolean }, cmd: Command) =>
      withBackend(cmd, async (backend) => {
        await backend.addInteractionType(name, !opts.notQueryable);
        console.log(`added interaction type ${name}`);
      }),
    );

  schema
    .command('set-queryable')
    .description('mark an attribute (ENTITY NAME) or an interaction type (interaction_type NAME) queryable or not')
    .argument('<entity>')
    .argument('<name>')
    .argument('<queryable>', 'true or false')
    .action(async (entity: string, name: string, value: string, _opts: unknown, cmd: Command) => {
      if (value !== 'true' && value !== 'false') throw new SegmataError('invalid_argument', `expected true or false, got "${value}"`);
      await withBackend(cmd, async (backend) => {
        await backend.setQueryable(entity, name, value === 'true');
        console.log(`${entity}.${name} is ${value === 'true' ? 'queryable' : 'not queryable'}`);
      });
    });

  schema
    .command('set-label')
    .description(`set how a name reads in the UI and in plain-words definitions: an attribute or relation (ENTITY NAME, ENTITY one of ${LABEL_OWNERS.filter((e) => e !== 'interaction_type').join(', ')}) or an interaction type (interaction_type NAME)`)
    .argument('<entity>')
    .argument('<name>')
    .argument('[label]', 'the label to show (with --reset, none: back to the default derived from the name)')
    .option('--reset', 'go back to the default label')
    .action(async (entity: string, name: string, label: string | undefined, opts: { reset?: boolean }, cmd: Command) => {
      if (label === undefined && !opts.reset) throw new SegmataError('invalid_argument', 'give a LABEL, or --reset to go back to the default');
      if (label !== undefined && opts.reset) throw new SegmataError('invalid_argument', 'give a LABEL or --reset, not both');
      await withBackend(cmd, async (backend) => {
        await backend.setLabel(entity, name, opts.reset ? null : label!);
        const now = makeLabels((await backend.schema()).labels).of(entity as LabelOwner, name);
        console.log(`${entity}.${name} reads as "${now}"`);
      });
    });
}

const indent = (s: string): string => s.split('\n').map((l) => `  ${l}`).join('\n');
