import { useState, type FormEvent } from 'react';
import { errorText, get, patch, post } from '../api';
import { Button, Check, Empty, ErrorMessage, Field, LibraryOptions, Loading, Ok, Page, Select, Status, Table } from '../components';
import { dateTime, day, libraryLabel, plainDate, plainDateLong } from '../format';
import { HoldActions, holdWhere, openStatuses } from '../holds';
import { useAction, useLoad } from '../hooks';
import { Link } from '../router';
import { useSession } from '../session';
import type { Hold, Loan, Notice, NotifyChannel, Patron, PatronDetail } from '../types';

// My account in the patron catalog: my holds (where each is, my place in line; cancel, suspend,
// change pickup), my loans with due dates (renew), my contact details and how I am told, my
// sign-in, and the notices sent to me.

function MyHolds({ holds, onChanged }: { holds: Hold[]; onChanged: () => void }) {
  const [showClosed, setShowClosed] = useState(false);
  const open = holds.filter((h) => openStatuses.has(h.status));
  const shown = showClosed ? holds : open;
  return (
    <section aria-labelledby="my-holds">
      <div className="section-head">
        <h2 id="my-holds">My holds ({open.length})</h2>
        <Check label="Show earlier holds" checked={showClosed} onChange={(e) => setShowClosed(e.target.checked)} />
      </div>
      {shown.length === 0 ? (
        <Empty>
          No holds. <Link to="/">Search the catalog</Link> to place one.
        </Empty>
      ) : (
        <ul className="hold-list">
          {shown.map((h) => (
            <li key={h.id} className={`hold hold-${h.status}`} data-testid={`my-hold-${h.id}`}>
              <div className="hold-head">
                <Link to={`/record/${h.record.id}`} className="hold-title">
                  {h.record.title}
                </Link>
                <Status status={h.status} />
              </div>
              <p>{holdWhere(h)}</p>
              <p className="muted">
                Pick up at {libraryLabel(h.pickupLibrary)}
                {h.queuePosition && openStatuses.has(h.status) ? ` · number ${h.queuePosition} in line` : ''} · placed {day(h.requestedAt)}
              </p>
              <HoldActions hold={h} asPatron onChanged={onChanged} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function MyLoans({ me, holds, onChanged }: { me: PatronDetail; holds: Hold[]; onChanged: () => void }) {
  const [results, setResults] = useState<Record<string, { ok: boolean; text: string }>>({});
  // the loans name items by barcode; holds that were filled with them know the title
  const titles = new Map(holds.filter((h) => h.capturedItem).map((h) => [h.capturedItem!.barcode, h.record.title]));
  const renew = async (barcode: string) => {
    try {
      const answer = await post<{ loan: Loan }>('/circulation/renew', { itemBarcode: barcode });
      setResults((r) => ({ ...r, [barcode]: { ok: true, text: `Renewed: now due ${plainDate(answer.loan.dueDate)}.` } }));
      onChanged();
    } catch (err) {
      setResults((r) => ({ ...r, [barcode]: { ok: false, text: errorText(err) } }));
    }
  };
  const today = new Date().toISOString().slice(0, 10);
  return (
    <section aria-labelledby="my-loans">
      <h2 id="my-loans">My loans ({me.loans.length})</h2>
      {me.loans.length === 0 ? (
        <Empty>Nothing checked out.</Empty>
      ) : (
        <ul className="hold-list">
          {me.loans.map((l) => (
            <li key={l.id} className="hold">
              <div className="hold-head">
                <span className="hold-title">{l.record?.title ?? l.item.title ?? titles.get(l.item.barcode) ?? `Item ${l.item.barcode}`}</span>
                <span className={l.dueDate < today ? 'pill pill-error' : 'pill'}>{l.dueDate < today ? 'Overdue' : 'Due'}</span>
              </div>
              <p className="due-line">
                Due <strong>{plainDateLong(l.dueDate)}</strong>
              </p>
              <p className="muted">
                From {l.item.library.name} · item {l.item.barcode} · renewed {l.renewals} {l.renewals === 1 ? 'time' : 'times'}
              </p>
              <Button kind="secondary" onClick={() => void renew(l.item.barcode)}>
                Renew
              </Button>
              {results[l.item.barcode] ? (
                <p className={results[l.item.barcode].ok ? 'message message-ok' : 'message message-error'} role={results[l.item.barcode].ok ? 'status' : 'alert'}>
                  {results[l.item.barcode].text}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function MyDetails({ me, onSaved }: { me: PatronDetail; onSaved: () => void }) {
  const { members, library } = useSession();
  const [email, setEmail] = useState(me.email ?? '');
  const [phone, setPhone] = useState(me.phone ?? '');
  const [notifyBy, setNotifyBy] = useState<NotifyChannel[]>(me.notifyBy);
  const [pickup, setPickup] = useState(me.defaultPickupLibrary?.code ?? '');
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const home = library(me.homeLibrary.code);
  const pickups = home && !home.participatesInLending ? [home] : members.filter((l) => l.participatesInLending);
  const toggle = (c: NotifyChannel, on: boolean) => setNotifyBy(on ? [...new Set([...notifyBy, c])] : notifyBy.filter((x) => x !== c));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    if (await run(() => patch<Patron>(`/patrons/${encodeURIComponent(me.barcode)}`, { email: email.trim() || null, phone: phone.trim() || null, notifyBy, defaultPickupLibraryCode: pickup || null }))) {
      setSaved(true);
      onSaved();
    }
  };
  return (
    <form className="card grid-form" onSubmit={submit} aria-labelledby="my-details">
      <h2 id="my-details">My contact details and notices</h2>
      <Field label="Email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      <Field label="Phone" type="tel" autoComplete="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />
      <fieldset className="channels">
        <legend>Tell me when a hold is ready by</legend>
        <Check label="Email" checked={notifyBy.includes('email')} onChange={(e) => toggle('email', e.target.checked)} />
        <Check label="Phone call" checked={notifyBy.includes('phone')} onChange={(e) => toggle('phone', e.target.checked)} />
      </fieldset>
      <Select label="Usual pickup library" value={pickup} onChange={(e) => setPickup(e.target.value)}>
        <LibraryOptions libraries={pickups} placeholder={`My home library (${me.homeLibrary.name})`} />
      </Select>
      <ErrorMessage>{error}</ErrorMessage>
      <Ok>{saved ? 'Saved.' : null}</Ok>
      <Button type="submit" disabled={busy}>
        Save my details
      </Button>
    </form>
  );
}

function MySignIn({ me, onSaved }: { me: PatronDetail; onSaved: () => void }) {
  const [username, setUsername] = useState(me.username ?? '');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    const body: Record<string, unknown> = {};
    if (username.trim() && username.trim() !== me.username) body.username = username.trim();
    if (next) {
      body.password = next;
      body.currentPassword = current;
    }
    if (Object.keys(body).length === 0) return;
    if (await run(() => patch<Patron>(`/patrons/${encodeURIComponent(me.barcode)}`, body))) {
      setCurrent('');
      setNext('');
      setSaved('Saved.');
      onSaved();
    }
  };
  return (
    <form className="card grid-form" onSubmit={submit} aria-labelledby="my-sign-in">
      <h2 id="my-sign-in">My sign-in</h2>
      <Field label="User name" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} spellCheck={false} autoCapitalize="none" />
      <Field label="Current password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
      <Field label="New password" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} minLength={8} hint="At least 8 characters." />
      <ErrorMessage>{error}</ErrorMessage>
      <Ok>{saved}</Ok>
      <Button type="submit" disabled={busy}>
        Save my sign-in
      </Button>
    </form>
  );
}

function MyNotices() {
  const notices = useLoad(() => get<Notice[]>('/notices'), []);
  if (notices.loading && !notices.data) return <Loading />;
  return (
    <section aria-labelledby="my-notices">
      <h2 id="my-notices">Messages to me</h2>
      <ErrorMessage>{notices.error}</ErrorMessage>
      {!notices.data?.length ? (
        <Empty>No messages yet.</Empty>
      ) : (
        <Table caption="Messages to me">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">How</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {notices.data.map((n) => (
              <tr key={n.id}>
                <td>{dateTime(n.sentAt ?? n.createdAt)}</td>
                <td>{n.channel}</td>
                <td>
                  <details>
                    <summary>{n.subject}</summary>
                    <pre className="notice-text">{n.text}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}

export function AccountPage() {
  const { user } = useSession();
  const barcode = user?.barcode ?? '';
  const me = useLoad(() => get<PatronDetail>(`/patrons/${encodeURIComponent(barcode)}`), [barcode]);
  const holds = useLoad(() => get<Hold[]>(`/holds?patron=${encodeURIComponent(barcode)}&limit=200`), [barcode]);
  if (me.loading && !me.data) return <Loading />;
  if (!me.data) return <Page title="My account">{<ErrorMessage>{me.error}</ErrorMessage>}</Page>;
  const reload = () => {
    me.reload();
    holds.reload();
  };
  return (
    <Page title={`Hello, ${me.data.firstName}`}>
      <p className="muted">
        Card {me.data.barcode} · {me.data.homeLibrary.name}
      </p>
      {me.data.blocked ? (
        <p className="message message-error" role="alert">
          Your card is blocked{me.data.blockReason ? `: ${me.data.blockReason}` : ''}. Please contact your library.
        </p>
      ) : null}
      <ErrorMessage>{holds.error}</ErrorMessage>
      <MyHolds holds={holds.data ?? me.data.holds} onChanged={reload} />
      <MyLoans me={me.data} holds={holds.data ?? []} onChanged={reload} />
      <MyDetails me={me.data} onSaved={reload} />
      <MySignIn me={me.data} onSaved={reload} />
      <MyNotices />
    </Page>
  );
}
