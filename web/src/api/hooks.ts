import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Schema } from './types';

/** The schema registry: attributes and interaction types (the designer's pickers read it). */
export function useSchema() {
  return useQuery({ queryKey: ['schema'], queryFn: () => api<Schema>('/schema'), staleTime: 60_000 });
}

export type Role = 'viewer' | 'editor' | 'admin';
const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** The key in use (its role decides which actions the UI offers; the API enforces them anyway). */
export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: () => api<{ id: string; name: string; role: Role; prefix: string }>('/me'), staleTime: 300_000 });
}

/** Does the key in use have at least `role`? Undefined while unknown. */
export function useCan(role: Role): boolean | undefined {
  const me = useMe();
  return me.data ? RANK[me.data.role] >= RANK[role] : undefined;
}
