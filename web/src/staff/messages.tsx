import { useState } from 'react';
import { errorText, get, post } from '../api';
import { Button, Check, Empty, ErrorMessage, Loading, Page } from '../components';
import { dateTime } from '../format';
import { useLoad } from '../hooks';
import { Link } from '../router';
import { useSession } from '../session';
import type { LibraryMessage } from '../types';

// Messages from other libraries (a hold cancelled, an item missing...), newest first.

export function MessagesPage() {
  const { desk } = useSession();
  const code = desk?.code;
  const [unreadOnly, setUnreadOnly] = useState(false);
  const messages = useLoad(() => (code ? get<LibraryMessage[]>(`/libraries/${code}/messages${unreadOnly ? '?unread=true' : ''}`) : Promise.resolve([])), [code, unreadOnly]);
  const [error, setError] = useState<string | null>(null);
  const markRead = async (m: LibraryMessage) => {
    try {
      await post(`/libraries/${code}/messages/${m.id}/read`);
      messages.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  if (!code) return <Page title="Library messages">{null}</Page>;
  return (
    <Page title={`Library messages · ${desk?.name}`} wide actions={<Check label="Unread only" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />}>
      <ErrorMessage>{error ?? messages.error}</ErrorMessage>
      {messages.loading && !messages.data ? (
        <Loading />
      ) : !messages.data?.length ? (
        <Empty>No messages.</Empty>
      ) : (
        <ul className="message-list">
          {messages.data.map((m) => (
            <li key={m.id} className={`card library-message ${m.readAt ? 'is-read' : 'is-unread'}`}>
              <div className="call-head">
                <strong>{m.subject}</strong>
                <span>
                  from {m.from.name} · {dateTime(m.createdAt)}
                </span>
              </div>
              <pre className="notice-text">{m.body}</pre>
              <p className="button-row">
                {m.item ? <Link to={`/staff/items/${encodeURIComponent(m.item.barcode)}`}>Item {m.item.barcode}</Link> : null}
                {m.patron ? <Link to={`/staff/patrons/${encodeURIComponent(m.patron.barcode)}`}>Patron {m.patron.name}</Link> : null}
                {m.readAt ? (
                  <span className="muted">Read {dateTime(m.readAt)}</span>
                ) : (
                  <Button kind="secondary" className="btn-small" onClick={() => void markRead(m)}>
                    Mark read
                  </Button>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
