/**
 * The live estimate: the definition is POSTed to /segments/estimate ~400 ms after it last
 * changed. A newer request aborts the older one, and a sequence number keeps a late answer
 * from overwriting a newer one.
 */
import { useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api/client';
import type { SegmentDefinition } from '../../../src/definition/ast.js';

export interface Estimate {
  total: number;
  blocks: { index: number; kind: string; count: number }[];
  ms?: number;
}

export interface EstimateState {
  estimate?: Estimate;
  error?: unknown;
  pending: boolean;
}

const DEBOUNCE_MS = 400;

/** `definition` null: nothing to estimate yet (no blocks). */
export function useEstimate(definition: SegmentDefinition | null): EstimateState {
  const [state, setState] = useState<EstimateState>({ pending: false });
  const seq = useRef(0);
  const body = definition ? JSON.stringify(definition) : null;

  useEffect(() => {
    const mine = ++seq.current;
    if (body === null) {
      setState({ pending: false });
      return;
    }
    setState((s) => ({ ...s, pending: true }));
    const abort = new AbortController();
    const timer = setTimeout(() => {
      api<Estimate>('/segments/estimate', { method: 'POST', body: JSON.parse(body) as unknown, signal: abort.signal })
        .then((estimate) => {
          if (mine === seq.current) setState({ estimate, pending: false });
        })
        .catch((error: unknown) => {
          if (abort.signal.aborted || mine !== seq.current) return;
          // Keep the last good numbers visible (dimmed) beside the reason this one failed.
          setState((s) => ({ ...(s.estimate ? { estimate: s.estimate } : {}), error, pending: false }));
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [body]);

  return state;
}

export const estimateIssues = (error: unknown) => (error instanceof ApiError ? error.issues : []);
