// Every `segmata` command the README shows in its sh code blocks runs here, in order, against a
// scratch database, so the examples cannot drift from the CLI. The JSON files the README shows
// (`az-openers.json`) are written as shown, and the walk-through's import files are built from
// the README's own column table, so a documented column that does not import fails here too.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { TEST_NOW, tempDir } from './helpers/engine.js';

const ROOT = join(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/**
 * README commands that are not run, and why: each serves or prints until interrupted. The CLI
 * test (test/cli.test.ts, test/cli-server.test.ts) covers them with a child process it stops.
 */
const NOT_RUN: readonly { why: string; applies: (args: readonly string[]) => boolean }[] = [
  { why: 'serve runs an HTTP server until Ctrl-C', applies: (args) => args[0] === 'serve' },
  { why: 'watch keeps live segments current until interrupted', applies: (args) => args[0] === 'watch' },
  { why: '--follow keeps printing new changes until interrupted', applies: (args) => args.includes('--follow') },
];

interface Block {
  lang: string;
  body: string;
  /** The text just before the block, e.g. "`az-openers.json`:" for a file the README shows. */
  caption: string;
}

function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  for (const m of markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)) {
    const before = markdown.slice(0, m.index).trimEnd();
    blocks.push({ lang: m[1] ?? '', body: m[2] ?? '', caption: before.slice(before.lastIndexOf('\n') + 1) });
  }
  return blocks;
}

/**
 * Split one shell line into words: quotes, backslash escapes and `#` comments. Anything a plain
 * command line does not need (expansions, pipes, redirections, lists) is refused, so an example
 * that uses it gets this test's attention rather than a silently different run.
 */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '#' && word === undefined) {
      break;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in README command: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      const end = line.indexOf('"', i + 1);
      if (end < 0) throw new Error(`unclosed " in README command: ${line}`);
      const inner = line.slice(i + 1, end);
      if (/[$`\\]/.test(inner)) throw new Error(`README command needs a shell to expand "${inner}": ${line}`);
      word = (word ?? '') + inner;
      i = end;
    } else if (c === '\\') {
      word = (word ?? '') + (line[++i] ?? '');
    } else if ('$`|&;<>(){}*?'.includes(c)) {
      throw new Error(`README command uses shell syntax "${c}" that this test does not run: ${line}`);
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The `segmata …` / `npx segmata …` commands of the README's sh blocks, in order, as argument lists. */
function readmeCommands(markdown: string): { line: string; args: string[] }[] {
  const commands: { line: string; args: string[] }[] = [];
  for (const block of codeBlocks(markdown)) {
    if (!['sh', 'bash', 'shell'].includes(block.lang)) continue;
    for (const line of block.body.replace(/\\\n\s*/g, ' ').split('\n')) {
      if (!/^\s*(npx\s+)?segmata\s/.test(line)) continue;
      const words = shellWords(line);
      commands.push({ line: line.trim(), args: words.slice(words[0] === 'npx' ? 2 : 1) });
    }
  }
  return commands;
}

/** The files the README shows as "`name.json`:" followed by a json block. */
function readmeFiles(markdown: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const block of codeBlocks(markdown)) {
    const name = /^`([\w.-]+\.json)`:$/.exec(block.caption.trim())?.[1];
    if (block.lang === 'json' && name) files.set(name, block.body);
  }
  return files;
}

/** The import file columns the README documents, per kind, from its "Import files" table. */
function documentedColumns(markdown: string): Map<string, string[]> {
  const columns = new Map<string, string[]>();
  for (const m of markdown.matchAll(/^\| `(contacts|accounts|leads|interactions)` \| (.*) \|$/gm)) {
    const names = [...m[2]!.matchAll(/`([^`]+)`/g)].flatMap((c) => c[1]!.split(',').map((s) => s.trim()));
    // `properties` is the JSONL form of the property columns, not a CSV column.
    columns.set(m[1]!, names.filter((n) => n !== 'properties'));
  }
  return columns;
}

// Sample rows for the walk-through, with a value for every documented column (an empty string is
// an empty cell). As of TEST_NOW (2024-06-01T12:00Z): C-1042 is an Arizona software contact who
// opened an email last week and never submitted a form — az-openers' one member; C-1043 works
// in retail; C-1044 submitted a form.
const SAMPLE_ROWS: Record<string, Record<string, string>[]> = {
  accounts: [
    { id: 'A-1', name: 'Acme', industry: 'Software', city: 'Phoenix', state: 'AZ', country: 'US', employees: '900', revenue: '12000000', created_at: '2023-01-10T09:00:00Z' },
    { id: 'A-2', name: 'Globex', industry: 'Retail', city: 'Tucson', state: 'AZ', country: 'US', employees: '40', revenue: '800000', created_at: '2023-03-02T09:00:00+02:00' },
  ],
  contacts: [
    contact('C-1042', 'Ada', 'Lovelace', 'A-1', '80', 'true'),
    contact('C-1043', 'Bob', 'Stone', 'A-2', '20', 'false'),
    contact('C-1044', 'Cy', 'Young', 'A-1', '55', ''),
  ],
  interactions: [
    interaction('i-1', 'C-1042', 'email_open', '2024-05-30T10:00:00Z', { campaign_id: 'spring', email_id: 'em-1' }),
    interaction('i-2', 'C-1043', 'email_open', '2024-05-29T10:00:00Z', { campaign_id: 'spring', email_id: 'em-1' }),
    interaction('i-3', 'C-1044', 'email_open', '2024-05-28T10:00:00Z', { campaign_id: 'spring', email_id: 'em-1' }),
    interaction('i-4', 'C-1044', 'form_submit', '2024-05-20T10:00:00Z', { form_id: 'demo-request' }),
    interaction('i-5', 'C-1042', 'email_click', '2024-05-30T10:01:00Z', { campaign_id: 'spring', email_id: 'em-1', link_url: 'https://acme.test/pricing' }),
    interaction('i-6', 'C-1042', 'website_visit', '2024-05-30T10:02:00Z', { page_url: 'https://acme.test/pricing' }),
  ],
  leads: [{ id: 'L-1', topic: 'Pricing', status: 'open', source: 'web', rating: '3', created_at: '2024-05-30T10:05:00Z', contact_id: 'C-1042', account_id: 'A-1' }],
};

function contact(id: string, first: string, last: string, account: string, score: string, consent: string): Record<string, string> {
  return {
    id, first_name: first, last_name: last, email: `${first.toLowerCase()}@example.com`, phone: '+1 602 555 0100', job_title: 'Engineer',
    city: 'Phoenix', state: 'AZ', country: 'US', birthdate: '1990-06-15', created_at: '2023-02-01T10:00:00Z', score, email_consent: consent, account_id: account,
  };
}

function interaction(id: string, contactId: string, type: string, at: string, properties: Record<string, string>): Record<string, string> {
  const empty = { campaign_id: '', email_id: '', link_url: '', form_id: '', event_id: '', page_url: '' };
  return { id, contact_id: contactId, type, occurred_at: at, ...empty, ...properties };
}

/** A CSV with exactly the documented columns; a documented column without a sample value fails. */
function importFile(kind: string, columns: readonly string[]): string {
  const rows = SAMPLE_ROWS[kind] ?? [];
  const cell = (row: Record<string, string>, column: string): string => {
    const value = row[column];
    if (value === undefined) throw new Error(`the README documents ${kind} column "${column}": give it a value in this test's SAMPLE_ROWS`);
    return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  };
  return [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row, c)).join(','))].join('\n') + '\n';
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in this process (as bin/segmata.js does), capturing what it prints. */
async function segmata(args: readonly string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const text = (chunk: unknown): string => (typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => ((stdout += text(chunk)), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => ((stderr += text(chunk)), true)),
    vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void (stdout += `${parts.join(' ')}\n`)),
    vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void (stderr += `${parts.join(' ')}\n`)),
  ];
  try {
    const code = await main([...args]);
    return { code, stdout, stderr };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

describe('README: every CLI example runs', () => {
  const { dir, cleanup } = tempDir('segmata-readme-');
  const ENV = ['SEGMATA_DB', 'SEGMATA_NOW', 'SEGMATA_SERVER', 'SEGMATA_KEY'] as const;
  const saved = { cwd: process.cwd(), env: ENV.map((name) => [name, process.env[name]] as const) };
  const commands = readmeCommands(README);

  beforeAll(() => {
    // The README's commands name files relative to the directory they run in, and the default
    // database; both are the scratch directory's. A user's server settings must not apply.
    process.chdir(dir);
    process.env.SEGMATA_DB = join(dir, 'readme.duckdb');
    process.env.SEGMATA_NOW = TEST_NOW;
    delete process.env.SEGMATA_SERVER;
    delete process.env.SEGMATA_KEY;
    for (const [name, text] of readmeFiles(README)) writeFileSync(join(dir, name), text);
    for (const [kind, columns] of documentedColumns(README)) writeFileSync(join(dir, `${kind}.csv`), importFile(kind, columns));
  });
  afterAll(() => {
    process.chdir(saved.cwd);
    for (const [name, value] of saved.env) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    cleanup();
  });

  it('finds the walk-through, its files and the column table', () => {
    expect(readmeFiles(README).has('az-openers.json')).toBe(true);
    expect([...documentedColumns(README).keys()].sort()).toEqual(['accounts', 'contacts', 'interactions', 'leads']);
    const lines = commands.map((c) => c.args.slice(0, 2).join(' '));
    for (const step of ['import contacts', 'segments estimate', 'segments create', 'segments go-live', 'segments members', 'segments explain', 'templates use']) {
      expect(lines).toContain(step);
    }
  });

  it('shows its inline examples in sh blocks too, so they run here', () => {
    const inline = [...README.replace(/^```[\s\S]*?^```$/gm, '').matchAll(/`npx segmata ([^`]+)`/g)].map((m) => m[1]!);
    const run = commands.map((c) => c.args.join(' '));
    for (const example of inline.filter((e) => !e.includes('…'))) expect(run).toContain(shellWords(example).join(' '));
  });

  it('runs each command in order with exit status 0', async () => {
    let ran = 0;
    for (const { line, args } of commands) {
      const reason = NOT_RUN.find((n) => n.applies(args))?.why;
      if (reason) {
        console.info(`not run: ${line} — ${reason}`);
        continue;
      }
      const r = await segmata(args);
      ran++;
      expect({ line, code: r.code, stderr: r.stderr }).toEqual({ line, code: 0, stderr: '' });
      // What the walk-through promises of a few of them, on the sample rows above.
      if (line.includes('segments estimate az-openers.json')) expect(r.stdout).toContain('estimated members: 1');
      if (line.includes('segments go-live az-openers')) expect(r.stdout).toContain('1 member (1 entered, 0 exited)');
      if (/segments members az-openers\s*($|#)/.test(line)) expect(r.stdout).toBe('C-1042\n');
      if (line.includes('members az-openers --format csv')) expect(r.stdout).toMatch(/^id,.*\nC-1042,Ada,Lovelace,/);
      if (line.includes('segments explain az-openers C-1042')) expect(r.stdout).toContain('Result: MEMBER');
      if (line.includes('templates use')) expect(r.stdout).toMatch(/^created draft segment /);
    }
    expect(ran).toBeGreaterThanOrEqual(14);
  });

  it('imports every documented column of leads too', async () => {
    const r = await segmata(['import', 'leads', 'leads.csv']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('1 inserted');
  });
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string): string => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

describe('README and docs/: relative links', () => {
  const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

  it.each(pages)('%s links only to files and headings that exist', (page) => {
    const text = readFileSync(join(ROOT, page), 'utf8').replace(/^```[\s\S]*?^```$/gm, '');
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    for (const link of links) {
      const [path = '', anchor] = link.split('#');
      const target = path ? resolve(dirname(join(ROOT, page)), path) : join(ROOT, page);
      expect(existsSync(target), `${page}: ${link}`).toBe(true);
      if (anchor) {
        const headings = [...readFileSync(target, 'utf8').replace(/^```[\s\S]*?^```$/gm, '').matchAll(/^#+ (.*)$/gm)].map((m) => anchorOf(m[1]!));
        expect(headings, `${page}: ${link}`).toContain(anchor);
      }
    }
  });
});
