/**
 * Adding members to a static segment in batches. The API refuses a whole batch when it names
 * an unknown contact (and says which ones), so those are set aside and the batch is sent again.
 */
import { api, ApiError } from '../api/client';
import type { Segment } from '../api/types';
import { segmentApiPath } from './queries';

export interface MembersChanged {
  added: number;
  removed: number;
  segment: Segment;
}

export const BATCH_SIZE = 1000;
const UNKNOWN = /^unknown contact "(.*)"$/;

/** The contact ids an API refusal names as unknown (none if it refused for another reason). */
export function unknownIdsOf(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.status !== 400) return [];
  return error.issues.flatMap((i) => {
    const m = UNKNOWN.exec(i.message);
    return m ? [m[1]!] : [];
  });
}

export function changeMembers(segmentId: string, body: { add?: string[]; remove?: string[] }): Promise<MembersChanged> {
  return api<MembersChanged>(segmentApiPath(segmentId, '/members'), { method: 'POST', body });
}

export interface ImportReport {
  requested: number;
  added: number;
  unknown: string[];
}

export async function addMembersInBatches(segmentId: string, ids: string[], onProgress?: (done: number) => void): Promise<ImportReport> {
  const report: ImportReport = { requested: ids.length, added: 0, unknown: [] };
  for (let start = 0; start < ids.length; start += BATCH_SIZE) {
    let batch = ids.slice(start, start + BATCH_SIZE);
    while (batch.length > 0) {
      try {
        report.added += (await changeMembers(segmentId, { add: batch })).added;
        break;
      } catch (e) {
        const unknown = new Set(unknownIdsOf(e));
        if (unknown.size === 0) throw e;
        report.unknown.push(...unknown);
        batch = batch.filter((id) => !unknown.has(id));
      }
    }
    onProgress?.(Math.min(start + BATCH_SIZE, ids.length));
  }
  return report;
}
