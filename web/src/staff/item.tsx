import { useState, type FormEvent } from 'react';
import { get, patch, post } from '../api';
import { Button, Dl, ErrorMessage, Field, Loading, Ok, Page, Select, Status, Table } from '../components';
import { dateTime, libraryLabel, plainDate, statusLabel } from '../format';
import { useAction, useLoad } from '../hooks';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import type { ItemScreen } from '../types';
import { flagText } from './lists';

// The item screen: status, where it is, the hold, transit or loan it is bound to, and its whole
// history. Staff of the libraries involved cancel a transit here; catalogers of the owning
// library set age protection, and the status (missing, damaged, lost, available).

function Lookup({ initial }: { initial?: string }) {
  const [value, setValue] = useState(initial ?? '');
  return (
    <form
      className="inline-form"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) navigate(`/staff/items/${encodeURIComponent(value.trim())}`);
      }}
    >
      <Field label="Item barcode" value={value} onChange={(e) => setValue(e.target.value)} autoFocus={!initial} data-autofocus={!initial ? true : undefined} spellCheck={false} autoComplete="off" />
      <Button type="submit">Show item</Button>
    </form>
  );
}

function describe(kind: string, data: Record<string, unknown> | null): string {
  const words = kind.replace(/-/g, ' ');
  if (!data) return words;
  const parts = Object.entries(data)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k}: ${String(v)}`);
  return parts.length ? `${words} (${parts.join(', ')})` : words;
}

function CancelTransit({ item, onDone }: { item: ItemScreen; onDone: () => void }) {
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if ((await run(() => post(`/items/${encodeURIComponent(item.barcode)}/cancel-transit`, note.trim() ? { note: note.trim() } : {}))) !== undefined) onDone();
  };
  return (
    <form className="subform" onSubmit={submit}>
      <Field label="Why (optional)" value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} />
      <Button type="submit" kind="danger" disabled={busy}>
        Cancel the transit
      </Button>
      <p className="hint">The item waits, not used for holds, until its next scan routes it (to the next patron in line or home).</p>
      <ErrorMessage>{error}</ErrorMessage>
    </form>
  );
}

function CatalogerEdits({ item, onSaved }: { item: ItemScreen; onSaved: () => void }) {
  const [age, setAge] = useState(item.ageProtection);
  const [status, setStatus] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const saveAge = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    if (await run(() => patch<ItemScreen>(`/items/${encodeURIComponent(item.barcode)}`, { ageProtection: age }))) {
      setSaved('Age protection saved.');
      onSaved();
    }
  };
  const saveStatus = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    if (!status) return;
    if (await run(() => patch<ItemScreen>(`/items/${encodeURIComponent(item.barcode)}`, { status }))) {
      setSaved(`Status set to ${statusLabel(status)}.`);
      setStatus('');
      onSaved();
    }
  };
  return (
    <div className="card">
      <h2>Cataloging</h2>
      <form className="inline-form" onSubmit={saveAge}>
        <Select label="Age protection" value={age} onChange={(e) => setAge(e.target.value as ItemScreen['ageProtection'])}>
          <option value="none">None</option>
          <option value="1m">1 month</option>
          <option value="3m">3 months</option>
          <option value="6m">6 months</option>
        </Select>
        <Button type="submit" disabled={busy || age === item.ageProtection}>
          Save age protection
        </Button>
      </form>
      <p className="hint">A protected item fills only holds of its own library's patrons until {item.catalogedAt ? `the chosen months after ${plainDate(item.catalogedAt)}` : 'the chosen months have passed'}.</p>
      <form className="inline-form" onSubmit={saveStatus}>
        <Select label="Set status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">Choose…</option>
          <option value="available">Available</option>
          <option value="missing">Missing</option>
          <option value="damaged">Damaged</option>
          <option value="lost">Lost</option>
        </Select>
        <Button type="submit" kind="secondary" disabled={busy || !status}>
          Set status
        </Button>
      </form>
      <ErrorMessage>{error}</ErrorMessage>
      <Ok>{saved}</Ok>
    </div>
  );
}

export function ItemPage({ barcode }: { barcode: string | null }) {
  const { hasRole, desk, user } = useSession();
  const item = useLoad(() => (barcode ? get<ItemScreen>(`/items/${encodeURIComponent(barcode)}`) : Promise.resolve(undefined)), [barcode]);
  const [cancelling, setCancelling] = useState(false);
  if (!barcode) {
    return (
      <Page title="Item lookup">
        <Lookup />
      </Page>
    );
  }
  if (item.loading && !item.data) return <Loading />;
  if (item.error || !item.data) {
    return (
      <Page title={`Item ${barcode}`}>
        <Lookup initial={barcode} />
        <ErrorMessage>{item.error}</ErrorMessage>
      </Page>
    );
  }
  const i = item.data;
  const involved = i.transit && (user?.role === 'consortium-admin' || i.transit.source.code === desk?.code || i.transit.destination.code === desk?.code);
  const cataloger = hasRole('cataloger') && (user?.role === 'consortium-admin' || i.owningLibrary.code === desk?.code);
  return (
    <Page title={`Item ${i.barcode}`} wide>
      <Lookup initial={i.barcode} key={i.barcode} />
      <div className="item-status">
        <Status status={i.status} />
        {i.flags.map((f) => (
          <span key={f} className="pill pill-error">
            {flagText(f)}
          </span>
        ))}
      </div>
      <Dl
        rows={[
          ['Title', <Link to={`/staff/records/${i.record.id}`}>{i.record.title}</Link>],
          ['Author', i.record.author],
          ['Call number', <span className="mono">{i.callNumber}</span>],
          ['Owner', libraryLabel(i.owningLibrary)],
          ['Where it is', i.status === 'in-transit' && i.transit ? `Between ${i.transit.source.name} and ${i.transit.destination.name}` : libraryLabel(i.currentLibrary)],
          ['Shelving location', i.location ? `${i.location.name}${i.location.holdable ? '' : ' (no holds)'}` : null],
          ['Holds allowed', i.holdable ? 'yes' : 'no'],
          ['Circulates', i.circulates ? 'yes' : 'no'],
          ['Cataloged', plainDate(i.catalogedAt)],
          ['Age protection', i.ageProtection === 'none' ? 'none' : `${i.ageProtection.replace('m', ' months')}${i.protectedUntil ? `, until ${plainDate(i.protectedUntil)}` : ''}`],
          ['Circulations', String(i.circulations)],
        ]}
      />
      {i.hold ? (
        <div className="card">
          <h2>Hold</h2>
          <p>
            Hold {i.hold.id} for <Link to={`/staff/patrons/${encodeURIComponent(i.hold.patron.barcode)}`}>{i.hold.patron.name}</Link>, pickup at {i.hold.pickupLibrary.name}: {statusLabel(i.hold.status)}.
          </p>
        </div>
      ) : null}
      {i.transit ? (
        <div className="card" data-testid="item-transit">
          <h2>Transit</h2>
          <p>
            {i.transit.kind === 'hold' ? 'Hold transit' : 'Going home'} from {i.transit.source.name} to {i.transit.destination.name}, sent {dateTime(i.transit.sentAt)}.
          </p>
          {involved ? (
            cancelling ? (
              <CancelTransit
                item={i}
                onDone={() => {
                  setCancelling(false);
                  item.reload();
                }}
              />
            ) : (
              <Button kind="secondary" onClick={() => setCancelling(true)}>
                Cancel transit…
              </Button>
            )
          ) : null}
        </div>
      ) : null}
      {i.status === 'transit-cancelled' ? (
        <p className="message message-warn" role="status">
          The transit was cancelled: scan the item on the <Link to="/staff/scan">Scan screen</Link> to route it.
        </p>
      ) : null}
      {i.loan ? (
        <div className="card">
          <h2>Loan</h2>
          <p>
            Lent to <Link to={`/staff/patrons/${encodeURIComponent(i.loan.patron.barcode)}`}>{i.loan.patron.name}</Link> on {dateTime(i.loan.checkedOutAt)}, due <strong>{plainDate(i.loan.dueDate)}</strong>.
          </p>
        </div>
      ) : null}
      {cataloger ? <CatalogerEdits item={i} onSaved={() => item.reload()} key={i.barcode} /> : null}
      <h2>History</h2>
      <Table caption="Item history, newest first">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Where</th>
            <th scope="col">Who</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {i.history.map((h, n) => (
            <tr key={n}>
              <td>{dateTime(h.at)}</td>
              <td>{describe(h.kind, h.data)}</td>
              <td>{h.library?.code ?? ''}</td>
              <td>{h.staff ?? ''}</td>
              <td>{h.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Page>
  );
}
