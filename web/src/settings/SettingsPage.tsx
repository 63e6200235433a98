import { Navigate, NavLink, Route, Routes } from 'react-router';
import { Empty } from '../ui/states';
import { KeysSettings } from './KeysSettings';
import { SchemaSettings } from './SchemaSettings';
import { WebhooksSettings } from './WebhooksSettings';

/** Settings, one address per section: /settings/schema, /settings/keys, /settings/webhooks(/:id). */
export function SettingsPage() {
  return (
    <section aria-labelledby="settings-title">
      <div className="page-head">
        <h1 id="settings-title">Settings</h1>
      </div>
      <nav className="tabs" aria-label="Settings sections">
        <NavLink to="/settings/schema">Schema</NavLink>
        <NavLink to="/settings/keys">API keys</NavLink>
        <NavLink to="/settings/webhooks">Webhooks</NavLink>
      </nav>
      <Routes>
        <Route index element={<Navigate to="schema" replace />} />
        <Route path="schema" element={<SchemaSettings />} />
        <Route path="keys" element={<KeysSettings />} />
        <Route path="webhooks" element={<WebhooksSettings />} />
        <Route path="webhooks/:webhookId" element={<WebhooksSettings />} />
        <Route path="*" element={<Empty>No such settings page.</Empty>} />
      </Routes>
    </section>
  );
}
