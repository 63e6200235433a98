import type { DuckDBConnection } from '@duckdb/node-api';
import { SegmataError } from '../../errors.js';
import type { SqlRunner, StageOptions, StagedFile } from '../store.js';

/** Placeholder: implemented by the import work (CSV via read_csv, JSONL streamed). */
export async function stageFile(
  _conn: DuckDBConnection,
  _db: SqlRunner,
  path: string,
  _table: string,
  _options: StageOptions,
): Promise<StagedFile> {
  throw new SegmataError('invalid_import', `${path}: import is not implemented yet`);
}
