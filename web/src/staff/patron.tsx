import { useState, type FormEvent } from 'react';
import { get, patch, post, qs } from '../api';
import { Button, Check, Dl, Empty, ErrorMessage, Field, LibraryOptions, Loading, Ok, Page, Select, Status, Table } from '../components';
import { dateTime, day, libraryLabel } from '../format';
import { HoldActions, holdWhere, openStatuses } from '../holds';
import { useAction, useLoad } from '../hooks';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import type { Hold, NotifyChannel, Notice, Patron, PatronDetail } from '../types';
import { LoansTable } from './loans';
import { PatronPicker } from './patron-picker';

// The patron screen: find by card or name; details and contact, notice choice, catalog sign-in,
// block; holds (place, cancel, suspend, change pickup); loans; notices sent.

export function PatronSearchPage() {
  return (
    <Page
      title="Patrons"
      actions={
        <Link to="/staff/patrons/new" className="btn btn-secondary">
          Register a patron
        </Link>
      }
    >
      <PatronPicker autoFocus onPick={(p) => navigate(`/staff/patrons/${encodeURIComponent(p.barcode)}`)} />
    </Page>
  );
}

function ChannelChecks({ value, onChange }: { value: NotifyChannel[]; onChange: (v: NotifyChannel[]) => void }) {
  const toggle = (channel: NotifyChannel, on: boolean) => onChange(on ? [...new Set([...value, channel])] : value.filter((c) => c !== channel));
  return (
    <fieldset className="channels">
      <legend>Notify by</legend>
      <Check label="Email" checked={value.includes('email')} onChange={(e) => toggle('email', e.target.checked)} />
      <Check label="Phone" checked={value.includes('phone')} onChange={(e) => toggle('phone', e.target.checked)} />
    </fieldset>
  );
}

export { ChannelChecks };

export function NewPatronPage() {
  const { members, desk } = useSession();
  const [form, setForm] = useState({ barcode: '', firstName: '', lastName: '', homeLibraryCode: desk?.code ?? '', email: '', phone: '', password: '' });
  const [notifyBy, setNotifyBy] = useState<NotifyChannel[]>(['email']);
  const { busy, error, run } = useAction();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const created = await run(() =>
      post<Patron>('/patrons', {
        barcode: form.barcode.trim(),
        firstName: form.firstName.trim(),
        lastName: form.lastName.trim(),
        homeLibraryCode: form.homeLibraryCode || desk?.code,
        ...(form.email.trim() ? { email: form.email.trim() } : {}),
        ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
        ...(form.password ? { password: form.password } : {}),
        notifyBy,
      }),
    );
    if (created) navigate(`/staff/patrons/${encodeURIComponent(created.barcode)}`);
  };
  return (
    <Page title="Register a patron">
      <form className="card grid-form" onSubmit={submit}>
        <Field label="Card barcode" required value={form.barcode} onChange={set('barcode')} autoFocus data-autofocus spellCheck={false} />
        <Field label="First name" required value={form.firstName} onChange={set('firstName')} />
        <Field label="Last name" required value={form.lastName} onChange={set('lastName')} />
        <Select label="Home library" value={form.homeLibraryCode} onChange={set('homeLibraryCode')} required>
          <LibraryOptions libraries={members} placeholder="Choose…" />
        </Select>
        <Field label="Email" type="email" value={form.email} onChange={set('email')} />
        <Field label="Phone" type="tel" value={form.phone} onChange={set('phone')} />
        <ChannelChecks value={notifyBy} onChange={setNotifyBy} />
        <Field
          label="First PIN for the patron catalog (optional)"
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={set('password')}
          hint="At least 8 characters. At the first sign-in with the card number and this PIN, the patron chooses a user name and a new password."
        />
        <ErrorMessage>{error}</ErrorMessage>
        <Button type="submit" disabled={busy}>
          Register
        </Button>
      </form>
    </Page>
  );
}

function ContactForm({ patron, onSaved }: { patron: PatronDetail; onSaved: () => void }) {
  const { members } = useSession();
  const [email, setEmail] = useState(patron.email ?? '');
  const [phone, setPhone] = useState(patron.phone ?? '');
  const [notifyBy, setNotifyBy] = useState<NotifyChannel[]>(patron.notifyBy);
  const [pickup, setPickup] = useState(patron.defaultPickupLibrary?.code ?? '');
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const ok = await run(() =>
      patch<Patron>(`/patrons/${encodeURIComponent(patron.barcode)}`, {
        email: email.trim() || null,
        phone: phone.trim() || null,
        notifyBy,
        defaultPickupLibraryCode: pickup || null,
      }),
    );
    if (ok) {
      setSaved(true);
      onSaved();
    }
  };
  return (
    <form className="card grid-form" onSubmit={submit}>
      <h2>Contact and notices</h2>
      <Field label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      <Field label="Phone" type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />
      <ChannelChecks value={notifyBy} onChange={setNotifyBy} />
      <Select label="Usual pickup library" value={pickup} onChange={(e) => setPickup(e.target.value)}>
        <LibraryOptions libraries={members} placeholder={`Home library (${patron.homeLibrary.code})`} />
      </Select>
      <ErrorMessage>{error}</ErrorMessage>
      <Ok>{saved ? 'Saved.' : null}</Ok>
      <Button type="submit" disabled={busy}>
        Save contact details
      </Button>
    </form>
  );
}

function SignInForm({ patron, onSaved }: { patron: PatronDetail; onSaved: () => void }) {
  const [username, setUsername] = useState(patron.username ?? '');
  const [password, setPassword] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    const body: Record<string, unknown> = {};
    if ((username.trim() || null) !== patron.username) body.username = username.trim() || null;
    if (password) body.password = password;
    if (Object.keys(body).length === 0) return;
    const ok = await run(() => patch<Patron>(`/patrons/${encodeURIComponent(patron.barcode)}`, body));
    if (ok) {
      setPassword('');
      setSaved(password ? 'Saved. Give the patron the new PIN: they sign in with their card number and it.' : 'Saved.');
      onSaved();
    }
  };
  return (
    <form className="card grid-form" onSubmit={submit}>
      <h2>Patron catalog sign-in</h2>
      <Field label="User name (optional)" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" spellCheck={false} hint="Empty: the patron signs in with the card number and chooses a user name at the first sign-in." />
      <Field label="New PIN or password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} hint="At least 8 characters. Setting it signs the patron out everywhere." />
      <ErrorMessage>{error}</ErrorMessage>
      <Ok>{saved}</Ok>
      <Button type="submit" disabled={busy}>
        Save sign-in
      </Button>
    </form>
  );
}

function BlockForm({ patron, onSaved }: { patron: PatronDetail; onSaved: () => void }) {
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = patron.blocked ? { blocked: false } : { blocked: true, blockReason: reason.trim() };
    if (await run(() => patch<Patron>(`/patrons/${encodeURIComponent(patron.barcode)}`, body))) {
      setReason('');
      onSaved();
    }
  };
  return (
    <form className="card" onSubmit={submit}>
      <h2>Block</h2>
      {patron.blocked ? (
        <p>
          The card is blocked: {patron.blockReason}. <br />
        </p>
      ) : (
        <Field label="Reason to block the card" value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} />
      )}
      <ErrorMessage>{error}</ErrorMessage>
      <Button type="submit" kind={patron.blocked ? 'secondary' : 'danger'} disabled={busy}>
        {patron.blocked ? 'Unblock the card' : 'Block the card'}
      </Button>
    </form>
  );
}

export function HoldsTable({ holds, asPatron, onChanged, staffLinks = true }: { holds: Hold[]; asPatron?: boolean; onChanged: () => void; staffLinks?: boolean }) {
  if (holds.length === 0) return <Empty>No holds.</Empty>;
  return (
    <ul className="hold-list">
      {holds.map((h) => (
        <li key={h.id} className={`hold hold-${h.status}`} data-testid={`hold-${h.id}`}>
          <div className="hold-head">
            <span className="hold-title">
              {staffLinks ? <Link to={`/staff/records/${h.record.id}`}>{h.record.title}</Link> : <Link to={`/record/${h.record.id}`}>{h.record.title}</Link>}
            </span>
            <Status status={h.status} />
          </div>
          <Dl
            rows={[
              ['Hold', `${h.id} · ${h.type} hold${h.type === 'copy' && h.itemBarcode ? ` on ${h.itemBarcode}` : ''}`],
              ['Where it is', holdWhere(h)],
              ['Pick up at', libraryLabel(h.pickupLibrary)],
              ['Place in line', h.queuePosition ? String(h.queuePosition) : null],
              ['Placed', dateTime(h.requestedAt)],
              ['Notify by', h.notifyBy?.join(' and ')],
              ['Copy', staffLinks && (h.capturedItem ?? h.target) ? <Link to={`/staff/items/${encodeURIComponent((h.capturedItem ?? h.target)!.barcode)}`}>{(h.capturedItem ?? h.target)!.barcode} ({(h.capturedItem ?? h.target)!.library.code})</Link> : null],
              ['Picked up by', h.shelfExpiresAt && h.status === 'on-holds-shelf' ? dateTime(h.shelfExpiresAt) : null],
              ['Cancelled', h.cancelledAt ? `${day(h.cancelledAt)}${h.cancelReason ? ` (${h.cancelReason})` : ''}` : null],
            ]}
          />
          {staffLinks && h.explanation ? (
            <details className="explanation">
              <summary>Why this copy? {h.explanation.summary}</summary>
              <ul>
                {h.explanation.candidates.map((c) => (
                  <li key={c.barcode}>
                    {c.barcode} at {c.library.name}
                    {c.nearness !== undefined ? `, ${c.nearness} steps away` : ''}
                    {c.excludedBecause ? `: ${c.excludedBecause}` : h.explanation?.chosen?.barcode === c.barcode ? ': chosen' : ''}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          <HoldActions hold={h} asPatron={asPatron} onChanged={onChanged} />
        </li>
      ))}
    </ul>
  );
}

function NoticesList({ barcode }: { barcode: string }) {
  const notices = useLoad(() => get<Notice[]>(`/notices${qs({ patron: barcode })}`), [barcode]);
  if (notices.loading && !notices.data) return <Loading />;
  if (notices.error) return <ErrorMessage>{notices.error}</ErrorMessage>;
  if (!notices.data?.length) return <Empty>No notices sent.</Empty>;
  return (
    <Table caption="Notices to the patron">
      <thead>
        <tr>
          <th scope="col">Created</th>
          <th scope="col">Channel</th>
          <th scope="col">Subject</th>
          <th scope="col">State</th>
          <th scope="col">Sent</th>
        </tr>
      </thead>
      <tbody>
        {notices.data.map((n) => (
          <tr key={n.id}>
            <td>{dateTime(n.createdAt)}</td>
            <td>
              {n.channel}
              {n.toAddress ? ` to ${n.toAddress}` : ''}
            </td>
            <td>
              <details>
                <summary>{n.subject}</summary>
                <pre className="notice-text">{n.text}</pre>
              </details>
            </td>
            <td>{n.state}</td>
            <td>{dateTime(n.sentAt)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export function PatronPage({ barcode }: { barcode: string }) {
  const patron = useLoad(() => get<PatronDetail>(`/patrons/${encodeURIComponent(barcode)}`), [barcode]);
  const holds = useLoad(() => get<Hold[]>(`/holds${qs({ patron: barcode, limit: 200 })}`), [barcode]);
  const [showClosed, setShowClosed] = useState(false);
  if (patron.loading && !patron.data) return <Loading />;
  if (patron.error || !patron.data) return <Page title="Patron">{<ErrorMessage>{patron.error}</ErrorMessage>}</Page>;
  const p = patron.data;
  const reload = () => {
    patron.reload();
    holds.reload();
  };
  const allHolds = holds.data ?? p.holds;
  const open = allHolds.filter((h) => openStatuses.has(h.status));
  const closed = allHolds.filter((h) => !openStatuses.has(h.status));
  return (
    <Page
      title={p.name}
      wide
      actions={
        <>
          <Link to={`/staff/checkout?patron=${encodeURIComponent(p.barcode)}`} className="btn btn-primary">
            Check out to {p.firstName}
          </Link>
          <Link to={`/staff/catalog?for=${encodeURIComponent(p.barcode)}`} className="btn btn-secondary">
            Place a hold
          </Link>
        </>
      }
    >
      {p.blocked ? (
        <p className="message message-error" role="alert">
          Card blocked{p.blockReason ? `: ${p.blockReason}` : ''}.
        </p>
      ) : null}
      <Dl
        rows={[
          ['Card', <span className="mono">{p.barcode}</span>],
          ['Home library', libraryLabel(p.homeLibrary)],
          ['Email', p.email],
          ['Phone', p.phone],
          ['Notify by', p.notifyBy.join(' and ') || 'nothing chosen'],
          ['Usual pickup', p.defaultPickupLibrary ? libraryLabel(p.defaultPickupLibrary) : 'home library'],
          ['Catalog user name', p.username ?? '(none yet)'],
          ['Registered', day(p.createdAt)],
        ]}
      />
      <div className="section-head">
        <h2>Holds ({open.length} open)</h2>
        <Check label="Show fulfilled and cancelled holds" checked={showClosed} onChange={(e) => setShowClosed(e.target.checked)} />
      </div>
      <ErrorMessage>{holds.error}</ErrorMessage>
      <HoldsTable holds={showClosed ? [...open, ...closed] : open} onChanged={reload} />
      <h2>Loans ({p.loans.length})</h2>
      <LoansTable loans={p.loans} onRenewed={reload} caption={`Loans of ${p.name}`} />
      <div className="cards">
        <ContactForm patron={p} onSaved={reload} />
        <SignInForm patron={p} onSaved={reload} />
        <BlockForm patron={p} onSaved={reload} />
      </div>
      <h2>Notices sent</h2>
      <NoticesList barcode={p.barcode} />
    </Page>
  );
}
