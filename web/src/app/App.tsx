import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { HashRouter, NavLink, Route, Routes } from 'react-router';
import { ApiError } from '../api/client';
import { ContactPage } from '../contacts/ContactPage';
import { ContactsList } from '../contacts/ContactsList';
import { DesignerPage } from '../designer/DesignerPage';
import { SegmentPage } from '../segment/SegmentPage';
import { NewSegment } from '../segments/NewSegment';
import { SegmentsList } from '../segments/SegmentsList';
import { SettingsPage } from '../settings/SettingsPage';
import { Empty } from '../ui/states';
import { Account } from './Account';
import { KeyGate } from './KeyGate';

const queryClient = new QueryClient({
  defaultOptions: {
    // A refused key or a bad request does not get better by asking again.
    queries: { retry: (n, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && n < 2, refetchOnWindowFocus: false },
  },
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <HashRouter>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <div className="shell">
          <header className="topbar">
            <span className="brand" aria-label="Segmata">
              ◆ Segmata
            </span>
            <nav aria-label="Main">
              <NavLink to="/" end>
                Segments
              </NavLink>
              <NavLink to="/contacts">Contacts</NavLink>
              <NavLink to="/settings">Settings</NavLink>
            </nav>
            <Account />
          </header>
          <main id="main" tabIndex={-1}>
            <KeyGate>
              <Routes>
                <Route path="/" element={<SegmentsList />} />
                <Route path="/segments/new" element={<NewSegment />} />
                <Route path="/designer/new" element={<DesignerPage />} />
                <Route path="/segments/:id/design" element={<DesignerPage />} />
                <Route path="/segments/:id/*" element={<SegmentPage />} />
                <Route path="/contacts" element={<ContactsList />} />
                <Route path="/contacts/:id" element={<ContactPage />} />
                <Route path="/settings/*" element={<SettingsPage />} />
                <Route path="*" element={<Empty>No such page. <a href="#/">Back to the segments</a>.</Empty>} />
              </Routes>
            </KeyGate>
          </main>
        </div>
      </HashRouter>
    </QueryClientProvider>
  );
}
