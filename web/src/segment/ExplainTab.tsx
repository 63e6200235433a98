/** Why is a contact (not) a member? The verdict, each block's own result, and the API's account in words. */
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import type { Segment } from '../api/types';
import { ContactSearchBox } from '../contacts/ContactSearchBox';
import { formatInstant } from '../ui/format';
import { ErrorState, Loading } from '../ui/states';
import { ExplainBlocks, type BlockTrace } from './ExplainBlocks';
import { contactPage, segmentApiPath, segmentKey } from './queries';

interface Explanation {
  segmentId: string;
  contactId: string;
  contactExists: boolean;
  member: boolean;
  storedMember?: boolean | null;
  blocks: BlockTrace[];
  text: string;
  now: string;
}

export function ExplainTab({ segment: s }: { segment: Segment }) {
  // The contact asked about is in the address (?contact=…), so an explanation can be shared.
  const [params, setParams] = useSearchParams();
  const contactId = params.get('contact') ?? '';
  const explanation = useQuery({
    queryKey: [...segmentKey(s.id), 'explain', contactId],
    queryFn: () => api<Explanation>(segmentApiPath(s.id, `/explain/${encodeURIComponent(contactId)}`)),
    enabled: contactId !== '',
  });
  const explain = (id: string) => {
    setParams(id ? { contact: id } : {}, { replace: true });
    if (id === contactId) void explanation.refetch();
  };
  return (
    <div className="explain-tab">
      <div className="toolbar" role="search">
        <ContactSearchBox label="Contact" current={contactId} onPick={explain} />
      </div>
      {contactId === '' ? (
        <p className="muted">Find a contact by name, email or id to see, block by block, why it is or is not a member of this segment.</p>
      ) : explanation.isPending ? (
        <Loading what="Explaining" />
      ) : explanation.isError ? (
        <ErrorState error={explanation.error} retry={() => void explanation.refetch()} />
      ) : (
        <ExplanationView segment={s} e={explanation.data} />
      )}
    </div>
  );
}

function ExplanationView({ segment: s, e }: { segment: Segment; e: Explanation }) {
  if (!e.contactExists)
    return (
      <div className="state error" role="alert">
        <strong>No contact has the id “{e.contactId}”.</strong> Check the id (ids are case-sensitive), or find the contact on the{' '}
        <Link to="/contacts">Contacts</Link> page.
      </div>
    );
  const storedDiffers = e.storedMember !== undefined && e.storedMember !== null && e.storedMember !== e.member;
  return (
    <div className="explanation" aria-live="polite">
      <p className={`verdict ${e.member ? 'verdict-in' : 'verdict-out'}`}>
        <span aria-hidden="true">{e.member ? '✓' : '✗'}</span> <Link to={contactPage(e.contactId)}>{e.contactId}</Link>{' '}
        {e.member ? 'is a member' : 'is not a member'} of “{s.name}”
        <span className="muted"> (as of {formatInstant(e.now)})</span>
      </p>
      {storedDiffers && (
        <p className="notice">
          The stored membership says the opposite ({e.storedMember ? 'a member' : 'not a member'}):{' '}
          {s.status === 'stopped' ? 'the segment is stopped, so its membership is no longer kept current.' : 'the live segment has not caught up yet.'}
        </p>
      )}
      {s.type === 'static' ? (
        <p className="muted">A static segment has no conditions: its members are picked by hand.</p>
      ) : (
        <>
          <h2>Block by block</h2>
          <ExplainBlocks traces={e.blocks} blocks={s.definition.query?.blocks ?? []} />
        </>
      )}
      <h2>In words</h2>
      <pre className="explain-text">{e.text}</pre>
    </div>
  );
}
