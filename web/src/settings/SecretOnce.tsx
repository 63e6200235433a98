import { useEffect, useRef, useState } from 'react';

/**
 * A secret the API gives only once (a new key, a webhook's signing secret): shown with a copy
 * button and a warning, until the user says it is stored. Focus moves here so it is not missed.
 */
export function SecretOnce({ title, secret, onDone }: { title: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => panel.current?.focus(), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // No clipboard (an insecure origin, a refused permission): select it for a manual copy.
      field.current?.select();
      setCopied('failed');
    }
  };
  return (
    <div className="secret-once" role="region" aria-labelledby="secret-title" tabIndex={-1} ref={panel}>
      <h3 id="secret-title">{title}</h3>
      <p className="secret-warning">
        <strong>Copy it now.</strong> It is shown only this once: the server keeps no readable copy.
      </p>
      <div className="secret-row">
        <label className="visually-hidden" htmlFor="secret-value">
          {title}
        </label>
        <input id="secret-value" ref={field} readOnly value={secret} onFocus={(e) => e.target.select()} spellCheck={false} />
        <button type="button" className="primary" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p className="muted" role="status">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Copying failed: the text is selected, copy it with Ctrl+C.' : ''}
      </p>
      <button type="button" onClick={onDone}>
        I have stored it
      </button>
    </div>
  );
}
