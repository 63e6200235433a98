import type { Store } from '../../store/store.js';
import type { ImportProgress } from './types.js';

/** How often a running statement's progress is read. */
const POLL_MS = 200;

/** A progress callback that cannot throw: a failing display must not fail the import itself. */
export function safely(onProgress: (p: ImportProgress) => void): (p: ImportProgress) => void {
  return (p) => {
    try {
      onProgress(p);
    } catch {
      // Ignored on purpose; see above.
    }
  };
}

/**
 * Run one phase of an import, telling `onProgress` it started and, while its statements run,
 * how far the database says the current one is (0..100).
 */
export async function inPhase<T>(
  store: Store,
  phase: ImportProgress['phase'],
  onProgress: ((p: ImportProgress) => void) | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  if (!onProgress) return fn();
  const report = safely(onProgress);
  report({ phase });
  const timer = setInterval(() => {
    const percent = store.progress();
    if (percent !== undefined) report({ phase, percent });
  }, POLL_MS);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
