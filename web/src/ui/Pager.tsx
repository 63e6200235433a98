/** Cursor paging: the cursors of the pages seen so far, so "Previous" goes back exactly. */
import { useState } from 'react';
import { formatCount } from './format';

export function useCursorPager() {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const cursor = stack[stack.length - 1];
  return {
    cursor,
    page: stack.length,
    next: (c: string) => setStack((s) => [...s, c]),
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([undefined]),
  };
}

/**
 * The total a list's pages report, kept across pages that leave it out (the API counts a
 * search once, on its first page). `key` names the list (its search): a new key forgets it.
 */
export function useKeptTotal(total: number | undefined, key: string): number | undefined {
  const [kept, setKept] = useState<{ key: string; total: number } | null>(null);
  if (total !== undefined && (kept?.key !== key || kept.total !== total)) setKept({ key, total });
  return total ?? (kept?.key === key ? kept.total : undefined);
}

/** "1–25 of 4,189", "26–50" (no total known), "No results" (an empty first page). */
export function rangeText(page: number, pageSize: number, count: number, total: number | undefined): string {
  if (count === 0) return total ? `None of ${formatCount(total)}` : 'None';
  const first = (page - 1) * pageSize + 1;
  const last = first + count - 1;
  return `${formatCount(first)}–${formatCount(last)}${total !== undefined ? ` of ${formatCount(total)}` : ''}`;
}

interface PagerProps {
  page: number;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  /** What is shown: the page's row count, the page size and the total when known. */
  shown?: { count: number; pageSize: number; total?: number | undefined };
}

export function Pager({ page, hasNext, onPrevious, onNext, shown }: PagerProps) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" onClick={onPrevious} disabled={page <= 1}>
        ← Previous
      </button>
      <span aria-live="polite" data-testid="page-range">
        {shown ? rangeText(page, shown.pageSize, shown.count, shown.total) : `Page ${page}`}
      </span>
      <button type="button" onClick={onNext} disabled={!hasNext}>
        Next →
      </button>
    </nav>
  );
}
