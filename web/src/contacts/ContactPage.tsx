import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { useSchema } from '../api/hooks';
import type { Attribute, ContactRecord, Schema } from '../api/types';
import { ErrorState, Loading } from '../ui/states';
import { AttributeList } from './AttributeList';
import { ContactAccount } from './ContactAccount';
import { ContactSegments } from './ContactSegments';
import { contactName } from './format-value';
import { InteractionsTimeline } from './InteractionsTimeline';

const attributesOf = (schema: Schema | undefined, entity: 'contact' | 'account'): Attribute[] =>
  schema?.entities.find((e) => e.name === entity)?.attributes ?? [];

/** One contact: its attributes, its account, the segments it is in, and what it did. */
export function ContactPage() {
  const id = useParams().id ?? '';
  const schema = useSchema();
  const contact = useQuery({
    queryKey: ['contact', id],
    queryFn: () => api<ContactRecord>(`/contacts/${encodeURIComponent(id)}`),
  });
  const back = (
    <p className="back-link">
      <Link to="/contacts">← Contacts</Link>
    </p>
  );
  // Formatting needs the attribute types; without the schema the values still show, guessed.
  if (contact.isPending || schema.isPending) return (
      <>
        {back}
        <Loading what="Loading the contact" />
      </>
    );
  if (contact.isError)
    return (
      <>
        {back}
        <ErrorState error={contact.error} retry={() => void contact.refetch()} />
      </>
    );
  const c = contact.data;
  const accountId = typeof c.account_id === 'string' && c.account_id ? c.account_id : null;
  return (
    <article aria-labelledby="contact-title">
      {back}
      <div className="page-head">
        <h1 id="contact-title">
          {contactName(c)} <span className="muted contact-id">{c.id}</span>
        </h1>
      </div>
      <div className="contact-grid">
        <section className="card" aria-labelledby="attributes-title">
          <h2 id="attributes-title">Attributes</h2>
          <AttributeList record={c} attributes={attributesOf(schema.data, 'contact')} label="Contact attributes" />
        </section>
        <div className="contact-side">
          <ContactAccount accountId={accountId} attributes={attributesOf(schema.data, 'account')} />
          <ContactSegments contactId={c.id} />
        </div>
      </div>
      <InteractionsTimeline contactId={c.id} />
    </article>
  );
}
