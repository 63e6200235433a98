import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Page } from '../api/types';

export type Role = 'viewer' | 'editor' | 'admin';

/** An API key as listed: never its secret, only its first characters. */
export interface ApiKey {
  id: string;
  prefix: string;
  role: Role;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

export const useKeys = () => useQuery({ queryKey: ['keys'], queryFn: () => api<Page<ApiKey>>('/keys') });

export function useCreateKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { role: Role; name?: string }) => api<ApiKey & { key: string }>('/keys', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['keys'] }),
  });
}

export function useRevokeKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<ApiKey>(`/keys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['keys'] }),
  });
}
