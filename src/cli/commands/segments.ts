import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { parseInstant } from '../../definition/operators.js';
import { SegmataError } from '../../errors.js';
import { withBackend, readJsonFile, write } from '../context.js';
import { jsonValue, plural, table } from '../format.js';
import { csvCell } from '../../engine/segments/csv-lines.js';
import type { Backend } from '../backend.js';

type Format = 'ids' | 'csv' | 'jsonl';

async function printMembers(backend: Backend, id: string, format: Format): Promise<number> {
  const types = await backend.contactTypes();
  let n = 0;
  let header: string[] | undefined;
  for await (const page of backend.members(id, format !== 'ids')) {
    let out = '';
    for (const row of page) {
      if (format === 'ids') out += `${String(row.id)}\n`;
      else if (format === 'jsonl') out += `${JSON.stringify(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, jsonValue(v, types.get(k))])))}\n`;
      else {
        if (!header) {
          header = Object.keys(row);
          out += `${header.map((k) => csvCell(k)).join(',')}\n`;
        }
        // Text cells that a spreadsheet would run as formulas are neutralised, as in the API's export.
        out += `${header.map((k) => csvCell(row[k], types.get(k))).join(',')}\n`;
      }
      n++;
    }
    await write(out);
  }
  if (format === 'csv' && !header) await write(`${['id', ...types.keys()].join(',')}\n`);
  return n;
}

/** Contact ids from arguments and/or a file (one per line, or a CSV whose first column is the id). */
export function readIds(args: string[], file: string | undefined): string[] {
  const ids = [...args];
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new SegmataError('invalid_argument', `${file}: cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    const lines = text.split(/\r?\n/).map((l) => l.split(',')[0]!.trim().replace(/^"|"$/g, '')).filter(Boolean);
    if (lines[0] === 'id' || lines[0] === 'contact_id') lines.shift();
    ids.push(...lines);
  }
  if (ids.length === 0) throw new SegmataError('invalid_argument', 'no contact ids given (pass them as arguments or with --file)');
  return ids;
}

export function registerSegmentCommands(program: Command): void {
  const seg = program.command('segments').description('create, evaluate and inspect segments');

  seg
    .command('list')
    .description('all segments with their status and member counts')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) =>
      withBackend(cmd, async (backend) => {
        const all = await backend.segments.list();
        if (opts.json) {
          console.log(JSON.stringify(all, null, 2));
          return;
        }
        if (all.length === 0) {
          console.log('no segments yet — create one with "segmata segments create FILE.json" or "segmata templates use NAME"');
          return;
        }
        console.log(table(
          ['ID', 'NAME', 'TYPE', 'STATUS', 'MEMBERS', 'VERSION', 'UPDATED'],
          all.map((s) => [s.id, s.name, s.type, s.status + (s.error ? ` (${s.error})` : ''), s.status === 'draft' && s.type !== 'static' ? '-' : s.memberCount, s.version, s.updatedAt.toISOString()]),
        ));
      }),
    );

  seg
    .command('show')
    .description('a segment\'s current definition (JSON) and status')
    .argument('<id>')
    .action(async (id: string, _o: unknown, cmd: Command) =>
      withBackend(cmd, async (backend) => {
        const s = await backend.segments.get(id);
        console.log(JSON.stringify({ ...s.definition, status: s.status, version: s.version, members: s.memberCount }, null, 2));
      }),
    );

  seg
    .command('create')
    .description('save a segment definition (JSON file) as a draft')
    .argument('<file>')
    .action(async (file: string, _o: unknown, cmd: Command) =>
      withBackend(cmd, async (backend) => {
        const s = await backend.segments.create(readJsonFile(file));
        console.log(`created segment ${s.id} (${s.type}, ${s.status}, version ${s.version}${s.type === 'static' ? `, ${plural(s.memberCount, 'member')}` : ''})`);
      }),
    );

  seg
    .command('update')
    .description('save a new version of a segment\'s definition; a live segment stays live and is re-evaluated')
    .argument('<id>')
    .argument('<file>')
    .action(async (id: string, file: string, _o: unknown, cmd: Command) =>
      withBackend(cmd, async (backend) => {
        const s = await backend.segments.update(id, readJsonFile(file));
        console.log(`updated segment ${s.id} to version ${s.version} (${s.status}${s.status === 'live' ? `, ${plural(s.memberCount, 'member')}` : ''})`);
      }),
    );

  seg
    .command('go-live')
    .description('evaluate a segment and keep its membership')
    .argument('<id>')
    .action(async (id: string, _o: unknown, cmd: Command) =>
      withBackend(cmd, async (backend) => {
        const r = await backend.segments.goLive(id);
        console.log(`segment ${id} is live: ${plural(r.members, 'member')} (${r.entered} entered, ${r.exited} exited) in ${r.ms.toFixed(0)} ms`);
      }),
    );

  seg
    .command('stop')
    .description('stop maintaining a segment\'s membership')
    .argument('<id>')
    .action(async (id: string, _o: unknown, cmd: Command) =>
      withBackend(cmd, async (backend) => {
        await backend.segments.stop(id);
        console.log(`segment ${id} is stopped`);
      }),
    );

  seg
    .command('delete')
    .description('delete a segment (refused while another segment references it)')
    .argument('<id>')
    .action(async (id: string, _o: unknown, cmd: Command) =>
      withBackend(cmd, async (backend) => {
        await backend.segments.delete(id);
        console.log(`segment ${id} deleted`);
      }),
    );

  seg
    .command('refresh')
    .description('re-evaluate a live segment (and the live segments built on it), or all live segments')
    .argument('[id]')
    .option('--all', 'every live segment, in dependency order')
    .action(async (id: string | undefined, opts: { all?: boolean }, cmd: Command) => {
      if (!id && !opts.all) throw new SegmataError('invalid_argument', 'give a segment id or --all');
      if (id && opts.all) throw new SegmataError('invalid_argument', 'give either a segment id or --all, not both');
      await withBackend(cmd, async (backend) => {
        const results = await backend.segments.refresh(opts.all ? undefined : id);
        if (results.length === 0) console.log('no live segments to refresh');
        for (const r of results) console.log(`${r.segmentId}: ${plural(r.members, 'member')} (${r.entered} entered, ${r.exited} exited) in ${r.ms.toFixed(0)} ms`);
      });
    });

  seg
    .command('estimate')
    .description('member count of a definition file without saving it, and each block\'s count on its own')
    .argument('<file>')
    .option('--json', 'print as JSON')
    .action(async (file: string, opts: { json?: boolean }, cmd: Command) =>
      withBackend(cmd, async (backend) => {
        const def = readJsonFile(file);
        const e = await backend.segments.estimate(def);
        if (opts.json) {
          console.log(JSON.stringify(e, null, 2));
          return;
        }
        console.log(`estimated members: ${e.total}`);
        for (const b of e.blocks) console.log(`  block ${b.index + 1} (${b.kind}) on its own: ${b.count}`);
      }),
    );

  seg
    .command('members')
    .description('list a segment\'s members')
    .argument('<id>')
    .option('--format <format>', 'ids (one contact id per line), csv or jsonl', 'ids')
    .action(async (id: string, opts: { format: string }, cmd: Command) => {
      if (!['ids', 'csv', 'jsonl'].includes(opts.format)) throw new SegmataError('invalid_argument', `--format: expected ids, csv or jsonl, got "${opts.format}"`);
      await withBackend(cmd, (backend) => printMembers(backend, id, opts.format as Format));
    });

  for (const mode of ['add', 'remove'] as const) {
    seg
      .command(`${mode}-members`)
      .description(`${mode} hand-picked members of a static segment`)
      .argument('<id>')
      .argument('[contactIds...]')
      .option('--file <file>', 'contact ids, one per line (or a CSV with an id column first)')
      .action(async (id: string, ids: string[], opts: { file?: string }, cmd: Command) =>
        withBackend(cmd, async (backend) => {
          const n = await backend.segments.changeMembers(id, readIds(ids, opts.file), mode);
          const s = await backend.segments.get(id);
          console.log(`${mode === 'add' ? 'added' : 'removed'} ${plural(n, 'member')}; segment ${id} has ${plural(s.memberCount, 'member')}`);
        }, { writes: true }),
      );
  }

  seg
    .command('explain')
    .description('why a contact is or is not a member, block by block')
    .argument('<id>')
    .argument('<contactId>')
    .option('--json', 'print as JSON')
    .action(async (id: string, contactId: string, opts: { json?: boolean }, cmd: Command) =>
      withBackend(cmd, async (backend) => {
        const e = await backend.explain(id, contactId);
        console.log(opts.json ? JSON.stringify(e.json, null, 2) : e.text);
      }),
    );

  seg
    .command('changes')
    .description('the membership change log of a segment: when, entered/exited, contact, cause')
    .argument('<id>')
    .option('--since <iso>', 'only changes at or after this instant')
    .option('--follow', 'keep the segment live and print new changes as they happen, until interrupted')
    .action(async (id: string, opts: { since?: string; follow?: boolean }, cmd: Command) => {
      const since = opts.since === undefined ? undefined : parseInstant(opts.since);
      if (opts.since !== undefined && since === undefined) throw new SegmataError('invalid_argument', `--since: expected an ISO 8601 instant, got "${opts.since}"`);
      await withBackend(cmd, async (backend) => {
        let last = 0;
        const print = async (): Promise<void> => {
          for (;;) {
            const rows = await backend.changes(id, since === undefined ? undefined : new Date(since), last);
            for (const r of rows) await write(`${r.changed_at.toISOString()}\t${r.change}\t${r.contact_id}\t${r.cause}\n`);
            if (rows.length === 0) return;
            last = rows[rows.length - 1]!.seq;
          }
        };
        await print();
        if (opts.follow) await backend.follow(id, print);
      });
    });
}
