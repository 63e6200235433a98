import { statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { SegmataError } from '../../errors.js';

export type FileFormat = 'csv' | 'jsonl';

/** The format is the file extension's: `.csv` or `.jsonl`, nothing is sniffed. */
export function formatOf(path: string): FileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl') return 'jsonl';
  throw new SegmataError(
    'invalid_import',
    `${basename(path)}: cannot tell the format from the extension "${ext || '(none)'}"; use .csv (with a header row) or .jsonl (one JSON object per line)`,
  );
}

/** Refuse early, with a plain message, a path that is not a readable file. */
export function checkReadable(path: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new SegmataError('not_found', `${path}: no such file`);
  }
  if (!isFile) throw new SegmataError('invalid_import', `${path}: not a file`);
}
