/**
 * A segment's lifecycle actions as the segment page and the list offer them, for every type:
 * a static segment goes live and stops like the others (the API allows it, and the UI showed
 * such a segment as a draft for good) and is renamed in place, having no designer to edit it in.
 */
import { api } from '../api/client';
import type { EvaluationResult, Page, Segment } from '../api/types';
import { reasonOf } from '../ui/Outcome';
import { segmentApiPath } from './queries';

export type LifecycleAction = 'go-live' | 'stop' | 'refresh' | 'delete';

export const canGoLive = (s: Segment): boolean => s.status !== 'live';
export const canStop = (s: Segment): boolean => s.status === 'live';
/** A static segment is kept, not evaluated: nothing to refresh. */
export const canRefresh = (s: Segment): boolean => s.status === 'live' && s.type !== 'static';
/** Dynamic and compound segments are renamed in the designer; static ones have none. */
export const renamedInPlace = (s: Segment): boolean => s.type === 'static';

/** The verb for a sentence about what was done ("2 segments activated"). */
export const DONE_VERB: Record<LifecycleAction, string> = { 'go-live': 'activated', stop: 'deactivated', refresh: 'refreshed', delete: 'deleted' };
/** The verb for what could not be done ("Could not activate …"). */
export const FAILED_VERB: Record<LifecycleAction, string> = { 'go-live': 'activate', stop: 'deactivate', refresh: 'refresh', delete: 'delete' };

/** Run one action; null after a delete (nothing is left to show). */
export async function runLifecycle(action: LifecycleAction, s: Segment): Promise<EvaluationResult | null> {
  if (action === 'delete') {
    await api(segmentApiPath(s.id), { method: 'DELETE' });
    return null;
  }
  return api<EvaluationResult>(segmentApiPath(s.id, `/${action}`), { method: 'POST' });
}

/**
 * Rename: the stored definition under a new name, sent with the version it was read at
 * (If-Match), so a rename never overwrites an edit made meanwhile (that answers 409).
 */
export function renameSegment(s: Segment, name: string): Promise<Segment> {
  const { members: _members, ...definition } = s.definition;
  return api<Segment>(segmentApiPath(s.id), { method: 'PUT', body: { ...definition, name }, headers: { 'if-match': `"${s.version}"` } });
}

/** A segment id as the API quotes it in a message: `"e2e-draft"`. */
const QUOTED_ID = /"([a-z0-9][a-z0-9-]{0,63})"/g;

/**
 * Why something was refused, with the segments the server names by id ("segment \"e2e-draft\"
 * is draft") named as the user knows them (“E2E draft”). Ids of no known segment stay as they are.
 */
export async function reasonWithNames(error: unknown): Promise<string> {
  const reason = reasonOf(error);
  if (!reason.includes('"')) return reason;
  let names: Map<string, string>;
  try {
    const all = await api<Page<Segment>>('/segments', { query: { limit: 1000 } });
    names = new Map(all.items.map((s) => [s.id, s.name]));
  } catch {
    return reason;
  }
  return reason.replace(QUOTED_ID, (quoted, id: string) => {
    const name = names.get(id);
    return name === undefined ? quoted : `“${name}”`;
  });
}
