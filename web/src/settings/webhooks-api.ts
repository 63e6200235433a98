import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { DeliveryJson, WebhookJson } from '../../../src/engine/webhooks/types.js';
import type { Page, Segment } from '../api/types';

/** A webhook and its delivery state (never its secret), as the API answers it. */
export type Webhook = WebhookJson;
/** One delivery attempt: a batch of changes (firstSeq..lastSeq) and how the receiver answered. */
export type Delivery = DeliveryJson;

export const useWebhooks = () => useQuery({ queryKey: ['webhooks'], queryFn: () => api<Page<Webhook>>('/webhooks') });

export const useDeliveries = (id: string) =>
  useQuery({ queryKey: ['webhooks', id, 'deliveries'], queryFn: () => api<Page<Delivery>>(`/webhooks/${encodeURIComponent(id)}/deliveries`, { query: { limit: 50 } }) });

/** The segments (a webhook names one), for the picker and to show names instead of ids. */
export const useSegmentChoices = () =>
  useQuery({ queryKey: ['segments', { limit: 1000 }], queryFn: () => api<Page<Segment>>('/segments', { query: { limit: 1000 } }), staleTime: 30_000 });

export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { segmentId: string; url: string }) => api<Webhook & { secret: string }>('/webhooks', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['webhooks'] }),
  });
}

export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/webhooks/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: (_, id) => {
      queryClient.removeQueries({ queryKey: ['webhooks', id] });
      return queryClient.invalidateQueries({ queryKey: ['webhooks'], exact: true });
    },
  });
}
