import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SegmataError } from '../../errors.js';
import { CsvWriter } from './csv-writer.js';
import {
  ACCOUNT_COLUMNS, CONTACT_COLUMNS, LEAD_COLUMNS, writeAccounts, writeContacts, writeLeads, type Tick,
} from './entities.js';
import { INTERACTION_COLUMNS, InteractionWriter } from './interactions.js';
import { Random, mixSeed } from './random.js';

export interface GenerateOptions {
  /** Directory the four CSV files are written to (created if absent). */
  dir: string;
  contacts: number;
  accounts: number;
  interactions: number;
  seed: number;
  /** Interactions fall in the year before this instant, never after it. */
  now: Date;
  /** Default: one lead per ten contacts. */
  leads?: number;
  /** Rows written so far out of all rows of all files; called about once per megabyte. */
  onProgress?: (done: number, total: number) => void;
}

export interface DatasetCounts {
  accounts: number;
  contacts: number;
  leads: number;
  interactions: number;
}

export interface GeneratedDataset {
  files: { accounts: string; contacts: string; leads: string; interactions: string };
  counts: DatasetCounts;
}

/** The size `segmata demo` uses unless told otherwise. */
export const DEFAULT_DEMO_SIZE = { contacts: 10_000, accounts: 1_000, interactions: 200_000, seed: 42 } as const;

function checkCount(name: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) {
    throw new SegmataError('invalid_argument', `${name}: expected an integer of at least ${min}, got ${n}`, [
      { path: name, message: `expected an integer >= ${min}` },
    ]);
  }
}

/**
 * Write a realistic, seeded demo data set as CSV files in the import format (SPEC §1).
 * Rows are streamed in large chunks, so memory stays flat: only a few typed arrays per
 * contact are kept (to link leads and interactions). The same options give the same bytes.
 */
export async function generateDataset(options: GenerateOptions): Promise<GeneratedDataset> {
  const counts: DatasetCounts = {
    accounts: options.accounts,
    contacts: options.contacts,
    leads: options.leads ?? Math.round(options.contacts / 10),
    interactions: options.interactions,
  };
  checkCount('contacts', counts.contacts, 1);
  checkCount('accounts', counts.accounts, 0);
  checkCount('leads', counts.leads, 0);
  checkCount('interactions', counts.interactions, 0);
  checkCount('seed', options.seed, -(2 ** 31));
  const now = options.now.getTime();
  if (Number.isNaN(now)) throw new SegmataError('invalid_argument', 'now: not a valid date');

  await mkdir(options.dir, { recursive: true });
  const files = {
    accounts: join(options.dir, 'accounts.csv'),
    contacts: join(options.dir, 'contacts.csv'),
    leads: join(options.dir, 'leads.csv'),
    interactions: join(options.dir, 'interactions.csv'),
  };
  const total = counts.accounts + counts.contacts + counts.leads + counts.interactions;
  let before = 0;
  // Each file draws from its own stream, so e.g. more interactions leave the contacts unchanged.
  const stream = (k: number): Random => new Random(mixSeed(options.seed, k));

  /** Write one file; `tick(done)` flushes a chunk and reports progress. */
  const write = async <T>(path: string, header: string[], body: (w: CsvWriter, tick: Tick) => Promise<T>): Promise<T> => {
    const writer = new CsvWriter(path, header);
    const tick: Tick = async (done) => {
      await writer.flush();
      options.onProgress?.(before + done, total);
    };
    try {
      const result = await body(writer, tick);
      await writer.close();
      return result;
    } catch (e) {
      if (e instanceof SegmataError) throw e;
      throw new SegmataError('invalid_argument', `cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const accounts = await write(files.accounts, ACCOUNT_COLUMNS, (w, tick) => writeAccounts(w, counts.accounts, stream(1), now, tick));
  before += counts.accounts;
  const contacts = await write(files.contacts, CONTACT_COLUMNS, (w, tick) => writeContacts(w, counts.contacts, accounts, stream(2), now, tick));
  before += counts.contacts;
  await write(files.leads, LEAD_COLUMNS, (w, tick) => writeLeads(w, counts.leads, contacts, stream(3), now, tick));
  before += counts.leads;
  await write(files.interactions, INTERACTION_COLUMNS, (w, tick) =>
    new InteractionWriter(w, contacts, counts.interactions, stream(4), now, tick).writeAll(),
  );
  options.onProgress?.(total, total);
  return { files, counts };
}
