import { useState, type FormEvent } from 'react';
import { errorText, get, post } from '../api';
import { Button, Empty, ErrorMessage, Field, Loading, Ok, Page, Select } from '../components';
import { dateTime } from '../format';
import { useLoad } from '../hooks';
import { Link } from '../router';
import { useSession } from '../session';
import type { PhoneCall } from '../types';

// Patrons to phone: holds ready (or not picked up) for patrons without email, oldest first.
// Each call is marked done with its outcome.

type Outcome = 'reached' | 'left-message' | 'no-answer';

function CallDone({ call, onDone }: { call: PhoneCall; onDone: (text: string) => void }) {
  const [outcome, setOutcome] = useState<Outcome>('reached');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post(`/phone-calls/${call.id}/done`, { outcome, ...(note.trim() ? { note: note.trim() } : {}) });
      onDone(outcome === 'reached' ? 'Done: reached.' : outcome === 'left-message' ? 'Done: message left.' : 'Done: no answer.');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label={`Call to ${call.patron.name}`}>
      <Select label="Outcome" value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome)}>
        <option value="reached">Reached the patron</option>
        <option value="left-message">Left a message</option>
        <option value="no-answer">No answer</option>
      </Select>
      <Field label="Note (optional)" value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} />
      <Button type="submit" disabled={busy} aria-label={`Mark the call to ${call.patron.name} done`}>
        Mark done
      </Button>
      <ErrorMessage>{error}</ErrorMessage>
    </form>
  );
}

export function PhoneCallsPage() {
  const { desk } = useSession();
  const code = desk?.code;
  const calls = useLoad(() => (code ? get<PhoneCall[]>(`/libraries/${code}/phone-calls`) : Promise.resolve([])), [code]);
  const [done, setDone] = useState<Record<number, string>>({});
  if (!code) return <Page title="Phone calls">{null}</Page>;
  return (
    <Page title={`Phone calls · ${desk?.name}`} wide actions={<Button kind="secondary" onClick={() => calls.reload()}>Refresh</Button>}>
      <p className="lede">Patrons without email whose hold is ready (or was not picked up): call them, then mark the call done.</p>
      <ErrorMessage>{calls.error}</ErrorMessage>
      {calls.loading && !calls.data ? (
        <Loading />
      ) : !calls.data?.length ? (
        <Empty>No calls to make.</Empty>
      ) : (
        <ul className="call-list">
          {calls.data.map((c) => (
            <li key={c.id} className="card call" data-testid={`call-${c.id}`}>
              <div className="call-head">
                <span className="call-who">
                  <Link to={`/staff/patrons/${encodeURIComponent(c.patron.barcode)}`}>{c.patron.name}</Link>
                </span>
                <a className="call-phone" href={c.phone ? `tel:${c.phone}` : undefined}>
                  {c.phone ?? 'no phone number'}
                </a>
              </div>
              <p>
                {c.kind === 'hold-ready' ? 'Hold ready' : c.kind}: <strong>{c.title}</strong>
                {c.pickupBy ? ` · pick up by ${dateTime(c.pickupBy)}` : ''} · since {dateTime(c.createdAt)}
              </p>
              <details>
                <summary>What to say</summary>
                <pre className="notice-text">{c.text}</pre>
              </details>
              {done[c.id] || c.doneAt ? <Ok>{done[c.id] ?? `Done: ${c.outcome}`}</Ok> : <CallDone call={c} onDone={(text) => setDone((d) => ({ ...d, [c.id]: text }))} />}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
