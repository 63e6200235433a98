import { useState, type FormEvent } from 'react';
import type { Segment } from '../api/types';
import { FieldError, FormError, invalidProps } from './form-errors';
import { SecretOnce } from './SecretOnce';
import { useCreateWebhook } from './webhooks-api';

const FIELDS = ['segmentId', 'url'];

/** Subscribe a URL to a segment's membership changes; the signing secret is shown once, right here. */
export function CreateWebhookForm({ segments }: { segments: Segment[] }) {
  const [segmentId, setSegmentId] = useState('');
  const [url, setUrl] = useState('');
  const create = useCreateWebhook();
  const [secret, setSecret] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { segmentId, url: url.trim() },
      {
        onSuccess: (w) => {
          setSecret(w.secret);
          setUrl('');
        },
      },
    );
  };
  return (
    <div className="card settings-form">
      <form onSubmit={submit} aria-labelledby="create-webhook-title">
        <h2 id="create-webhook-title">Add a webhook</h2>
        <div className="form-row">
          <label>
            Segment
            <select value={segmentId} onChange={(e) => setSegmentId(e.target.value)} required {...invalidProps(create.error, 'segmentId', 'webhook-segment-error')}>
              <option value="">Choose a segment…</option>
              {segments.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.status})
                </option>
              ))}
            </select>
          </label>
          <label className="grow">
            URL
            <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} required maxLength={2000} placeholder="https://example.com/segmata-hook" {...invalidProps(create.error, 'url', 'webhook-url-error')} />
          </label>
          <button type="submit" className="primary" disabled={create.isPending}>
            {create.isPending ? 'Adding…' : 'Add webhook'}
          </button>
        </div>
        <p className="muted hint">Each membership change of the segment is POSTed to the URL, signed with HMAC-SHA256, and retried until the receiver answers 2xx.</p>
        <FieldError error={create.error} field="segmentId" id="webhook-segment-error" />
        <FieldError error={create.error} field="url" id="webhook-url-error" />
        <FormError error={create.error} fields={FIELDS} />
      </form>
      {secret && <SecretOnce title="Signing secret of the new webhook" secret={secret} onDone={() => setSecret(null)} />}
    </div>
  );
}
