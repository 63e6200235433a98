import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, onKeyChange, storedKey, storeKey } from '../api/client';

/**
 * A key given in the address's fragment (`/#key=…`, as `segmata serve` prints it for the first
 * admin key) is stored, and the fragment replaced by the home route in the address and in its
 * history entry. The fragment, unlike a query string, is never sent to the server: the key
 * reaches no request line, proxy or server log. Called once before the router starts, so it
 * runs first; it also takes a key pasted into the address of an open UI (a fragment-only change,
 * which reloads nothing).
 */
export function takeKeyFromAddress(): void {
  const take = (): void => {
    const fragment = window.location.hash.replace(/^#/, '');
    if (!fragment.startsWith('key=')) return;
    const key = new URLSearchParams(fragment).get('key')?.trim();
    window.location.replace('#/');
    if (key) storeKey(key);
  };
  take();
  window.addEventListener('hashchange', take);
}

/**
 * Every API call needs a key: until one is stored (or after the server refused it), the UI asks
 * for it. `segmata serve` prints the first-run admin key, and an address with `#key=` for it.
 */
export function KeyGate({ children }: { children: ReactNode }) {
  const [key, setKey] = useState(storedKey());
  const [refused, setRefused] = useState(false);
  const queryClient = useQueryClient();
  // A 401 from any call (a revoked key: still stored) or signing out (forgotten) asks for a key again.
  // A new key (one given in the address of an open UI) drops what was fetched with the last one.
  useEffect(
    () =>
      onKeyChange((k) => {
        if (k !== null) {
          queryClient.clear();
          setRefused(false);
          return setKey(k);
        }
        if (storedKey()) setRefused(true);
        else setKey(null);
      }),
    [queryClient],
  );
  if (key && !refused) return <>{children}</>;
  return (
    <KeyForm
      refused={refused}
      onAccepted={(k) => {
        storeKey(k);
        setRefused(false);
        setKey(k);
        queryClient.clear();
      }}
    />
  );
}

function KeyForm({ refused, onAccepted }: { refused: boolean; onAccepted: (key: string) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(refused ? 'The server refused the stored key (revoked or unknown). Enter another one.' : null);
  const [checking, setChecking] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const key = value.trim();
    if (!key) return setError('Enter a key.');
    setChecking(true);
    try {
      // Any route that needs a key tells whether this one is known.
      await api('/segments', { query: { limit: 1 }, key });
      onAccepted(key);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'The server does not know this key.' : err instanceof Error ? err.message : String(err));
    } finally {
      setChecking(false);
    }
  };
  return (
    <form className="key-form card" onSubmit={submit} aria-labelledby="key-title">
      <h1 id="key-title">Sign in with an API key</h1>
      <p>
        <code>segmata serve</code> prints an admin key on its first start; <code>segmata keys create --role editor</code> makes more.
      </p>
      <label htmlFor="api-key">API key</label>
      <input id="api-key" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={!!error} aria-describedby={error ? 'key-error' : undefined} autoFocus />
      {error && (
        <p id="key-error" className="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={checking}>
        {checking ? 'Checking…' : 'Continue'}
      </button>
    </form>
  );
}
