import type { SqlRunner, SqlValue } from '../../store/store.js';
import { LOOKUP_CHUNK } from '../contact/load.js';

/** DELETE by ids, 16 at a time so DuckDB uses index lookups (see LOOKUP_CHUNK). */
export async function deleteByIds(db: SqlRunner, sqlHead: string, column: string, ids: string[], extra: SqlValue[] = []): Promise<void> {
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const chunk = ids.slice(i, i + LOOKUP_CHUNK);
    const list = chunk.map((_, k) => `$${extra.length + k + 1}`).join(', ');
    await db.run(`${sqlHead} ${column} IN (${list})`, [...extra, ...chunk]);
  }
}
