/** The segment page's queries: one key prefix per segment, so an action refreshes every tab at once. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Segment } from '../api/types';

export const segmentApiPath = (id: string, rest = ''): string => `/segments/${encodeURIComponent(id)}${rest}`;
export const segmentPage = (id: string, tab = ''): string => `/segments/${encodeURIComponent(id)}${tab ? `/${tab}` : ''}`;
export const contactPage = (id: string): string => `/contacts/${encodeURIComponent(id)}`;

/** Every query about segment `id` (members, history, summary…) starts with this key. */
export const segmentKey = (id: string) => ['segment', id] as const;

export function useSegment(id: string) {
  return useQuery({ queryKey: segmentKey(id), queryFn: () => api<Segment>(segmentApiPath(id)) });
}

/** After a change: this segment's data, and the segments list (counts, statuses). */
export function useInvalidateSegment(id: string): () => Promise<void> {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([queryClient.invalidateQueries({ queryKey: segmentKey(id) }), queryClient.invalidateQueries({ queryKey: ['segments'] })]);
  };
}
