import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { onKeyChange, storedKey, storeKey } from '../api/client';
import { useMe } from '../api/hooks';

/** Who the UI acts as (the key's name and role), and signing out (forgetting the key here). */
export function Account() {
  const [key, setKey] = useState(storedKey());
  useEffect(() => onKeyChange(setKey), []);
  const queryClient = useQueryClient();
  if (!key) return null;
  return <SignedIn onSignOut={() => (storeKey(null), queryClient.clear())} />;
}

function SignedIn({ onSignOut }: { onSignOut: () => void }) {
  const me = useMe();
  return (
    <div className="account">
      {me.data && (
        <span className="muted-light" title={`key ${me.data.prefix}…`}>
          {me.data.name} · <strong>{me.data.role}</strong>
        </span>
      )}
      <button
        type="button"
        className="link-button"
        onClick={onSignOut}
      >
        Sign out
      </button>
    </div>
  );
}
