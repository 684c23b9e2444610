import { useState, type FormEvent } from 'react';
import { get, post } from '../api';
import { Button, Check, Dl, ErrorMessage, LibraryOptions, Loading, Ok, Page, Select, Status, Table } from '../components';
import { plainDate } from '../format';
import { useAction, useLoad } from '../hooks';
import { Link } from '../router';
import { useSession } from '../session';
import type { Hold, NotifyChannel, PatronDetail, RecordDetail } from '../types';

// A record in the patron catalog: what it is, which libraries have it and whether a copy is
// on the shelf, and "Place a hold" (sign in first) with the pickup library and how to be told.

function PlaceHold({ record }: { record: RecordDetail }) {
  const { user, members, library } = useSession();
  const me = useLoad(() => get<PatronDetail>(`/patrons/${encodeURIComponent(user?.barcode ?? '')}`), [user?.barcode]);
  const [pickup, setPickup] = useState<string | null>(null);
  const [channels, setChannels] = useState<NotifyChannel[] | null>(null);
  const [placed, setPlaced] = useState<Hold | null>(null);
  const { busy, error, run } = useAction();
  if (me.loading && !me.data) return <Loading />;
  const p = me.data;
  const home = library(p?.homeLibrary.code);
  // a library outside the lending program: its patrons pick up only there
  const pickups = home && !home.participatesInLending ? members.filter((l) => l.code === home.code) : members.filter((l) => l.participatesInLending);
  const chosenPickup = pickup ?? p?.defaultPickupLibrary?.code ?? p?.homeLibrary.code ?? '';
  const chosenChannels = channels ?? p?.notifyBy ?? [];
  const toggle = (c: NotifyChannel, on: boolean) => setChannels(on ? [...new Set([...chosenChannels, c])] : chosenChannels.filter((x) => x !== c));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const hold = await run(() => post<Hold>('/holds', { type: 'title', recordId: record.id, pickupLibraryCode: chosenPickup, notifyBy: chosenChannels }));
    if (hold) setPlaced(hold);
  };
  if (placed) {
    return (
      <Ok>
        Your hold is placed. You are number {placed.queuePosition ?? 1} in line; we will tell you by {placed.notifyBy?.join(' and ') || 'your usual way'} when it is ready at {placed.pickupLibrary.name}. <Link to="/account">See my holds</Link>
      </Ok>
    );
  }
  return (
    <form className="card grid-form" onSubmit={submit} aria-label="Place a hold">
      <Select label="Pick up at" value={chosenPickup} onChange={(e) => setPickup(e.target.value)}>
        <LibraryOptions libraries={pickups} />
      </Select>
      <fieldset className="channels">
        <legend>Tell me when it is ready by</legend>
        <Check label={`Email${p?.email ? ` (${p.email})` : ' (no address on file)'}`} checked={chosenChannels.includes('email')} onChange={(e) => toggle('email', e.target.checked)} />
        <Check label={`Phone${p?.phone ? ` (${p.phone})` : ' (no number on file)'}`} checked={chosenChannels.includes('phone')} onChange={(e) => toggle('phone', e.target.checked)} />
      </fieldset>
      <ErrorMessage>{error ?? me.error}</ErrorMessage>
      <Button type="submit" disabled={busy}>
        Place hold
      </Button>
    </form>
  );
}

export function OpacRecordPage({ id }: { id: number }) {
  const { user } = useSession();
  const record = useLoad(() => get<RecordDetail>(`/records/${id}`), [id]);
  const [wantHold, setWantHold] = useState(false);
  if (record.loading && !record.data) return <Loading />;
  if (record.error || !record.data) return <Page title="Record">{<ErrorMessage>{record.error}</ErrorMessage>}</Page>;
  const r = record.data;
  const copies = r.volumes.flatMap((v) => v.items.map((i) => ({ ...i, callNumber: v.callNumber, owner: v.library })));
  const available = copies.filter((c) => c.status === 'available').length;
  return (
    <Page title={r.title}>
      <Dl
        rows={[
          ['Author', r.author],
          ['Published', [r.publisher, r.year].filter(Boolean).join(', ')],
          ['ISBN', r.isbn.join(', ')],
          ['Subjects', r.subjects.join('; ')],
          ['Availability', `${available} of ${copies.length} ${copies.length === 1 ? 'copy' : 'copies'} on the shelf`],
        ]}
      />
      <section className="card" aria-labelledby="hold-heading">
        <h2 id="hold-heading">Borrow it</h2>
        {user?.kind === 'patron' ? (
          wantHold ? (
            <PlaceHold record={r} />
          ) : (
            <Button onClick={() => setWantHold(true)}>Place a hold</Button>
          )
        ) : user?.kind === 'staff' ? (
          <p>
            Staff place holds for patrons from the <Link to={`/staff/records/${r.id}`}>staff record page</Link>.
          </p>
        ) : (
          <p>
            <Link to={`/login?next=${encodeURIComponent(`/record/${r.id}`)}`} className="btn btn-primary">
              Sign in to place a hold
            </Link>
          </p>
        )}
      </section>
      <h2>Copies</h2>
      <Table caption="Copies by library">
        <thead>
          <tr>
            <th scope="col">Library</th>
            <th scope="col">Call number</th>
            <th scope="col">Status</th>
            <th scope="col">Due back</th>
          </tr>
        </thead>
        <tbody>
          {copies.map((c) => (
            <tr key={c.barcode}>
              <td>{c.owner.name}</td>
              <td className="mono">{c.callNumber}</td>
              <td>
                <Status status={c.status} />
              </td>
              <td>{c.dueDate ? plainDate(c.dueDate) : ''}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <p className="muted">Record {r.id}</p>
    </Page>
  );
}
