import { useEffect, useState, type FormEvent } from 'react';
import { get, post, qs } from '../api';
import { CatalogSearch } from '../catalog-search';
import { Button, Dl, ErrorMessage, LibraryOptions, Loading, Ok, Page, Select, Status, Table } from '../components';
import { plainDate } from '../format';
import { useAction, useLoad } from '../hooks';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import type { Hold, NotifyChannel, Patron, RecordDetail } from '../types';
import { ChannelChecks } from './patron';
import { PatronPicker } from './patron-picker';

// The staff Catalog: search, the record page with every library's copies, and holds placed for
// a patron from the record (title hold; volume and copy holds on our own library's copies).

const forKey = 'tamarack.holdFor';

/** The patron holds are being placed for: ?for=<barcode>, remembered for this browser tab. */
function usePatronFor(): [Patron | null, (p: Patron | null) => void] {
  const { query } = useLocation();
  const fromQuery = query.get('for');
  const [patron, setPatron] = useState<Patron | null>(null);
  const barcode = fromQuery ?? sessionStorage.getItem(forKey);
  useEffect(() => {
    if (!barcode) {
      setPatron(null);
      return;
    }
    if (patron?.barcode === barcode) return;
    get<Patron>(`/patrons/${encodeURIComponent(barcode)}`).then(setPatron, () => setPatron(null));
  }, [barcode]);
  const set = (p: Patron | null) => {
    if (p) sessionStorage.setItem(forKey, p.barcode);
    else sessionStorage.removeItem(forKey);
    setPatron(p);
    const params = new URLSearchParams(location.search);
    if (p) params.set('for', p.barcode);
    else params.delete('for');
    const search = params.toString();
    navigate(`${location.pathname}${search ? `?${search}` : ''}`, { replace: true });
  };
  return [patron, set];
}

function ForBanner({ patron, onClear }: { patron: Patron | null; onClear: () => void }) {
  if (!patron) return null;
  return (
    <div className="message message-info for-banner" role="status">
      Placing holds for{' '}
      <Link to={`/staff/patrons/${encodeURIComponent(patron.barcode)}`}>
        <strong>{patron.name}</strong> ({patron.barcode})
      </Link>
      .{' '}
      <Button kind="link" onClick={onClear}>
        Stop placing holds for {patron.firstName}
      </Button>
    </div>
  );
}

export function CatalogPage() {
  const [patron, setPatron] = usePatronFor();
  return (
    <Page title="Catalog" wide>
      <ForBanner patron={patron} onClear={() => setPatron(null)} />
      <CatalogSearch staff recordPath={(id) => `/staff/records/${id}${patron ? `?for=${encodeURIComponent(patron.barcode)}` : ''}`} />
    </Page>
  );
}

type HoldChoice = { type: 'title' } | { type: 'volume'; volumeId: number; label: string } | { type: 'copy'; itemBarcode: string; label: string };

function PlaceHoldForm({ record, patron, choice, onPlaced }: { record: RecordDetail; patron: Patron; choice: HoldChoice; onPlaced: (hold: Hold) => void }) {
  const { members, desk } = useSession();
  const [pickup, setPickup] = useState(desk?.code ?? patron.defaultPickupLibrary?.code ?? patron.homeLibrary.code);
  const [notifyBy, setNotifyBy] = useState<NotifyChannel[]>(patron.notifyBy);
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const hold = await run(() =>
      post<Hold>('/holds', {
        patronBarcode: patron.barcode,
        type: choice.type,
        ...(choice.type === 'title' ? { recordId: record.id } : choice.type === 'volume' ? { volumeId: choice.volumeId } : { itemBarcode: choice.itemBarcode }),
        pickupLibraryCode: pickup,
        notifyBy,
      }),
    );
    if (hold) onPlaced(hold);
  };
  return (
    <form className="card grid-form place-hold" onSubmit={submit} aria-label="Place the hold">
      <h2>
        {choice.type === 'title' ? 'Title hold' : choice.type === 'volume' ? `Volume hold: ${choice.label}` : `Copy hold: ${choice.label}`} for {patron.name}
      </h2>
      <Select label="Pickup library" value={pickup} onChange={(e) => setPickup(e.target.value)}>
        <LibraryOptions libraries={members} />
      </Select>
      <ChannelChecks value={notifyBy} onChange={setNotifyBy} />
      <ErrorMessage>{error}</ErrorMessage>
      <Button type="submit" disabled={busy}>
        Place {choice.type} hold
      </Button>
    </form>
  );
}

export function StaffRecordPage({ id }: { id: number }) {
  const { desk } = useSession();
  const record = useLoad(() => get<RecordDetail>(`/records/${id}`), [id]);
  const holds = useLoad(
    () => (desk ? get<Hold[]>(`/holds${qs({ library: desk.code, limit: 1000 })}`).then((all) => all.filter((h) => h.record.id === id)) : Promise.resolve([])),
    [id, desk?.code],
  );
  const [patron, setPatron] = usePatronFor();
  const [choice, setChoice] = useState<HoldChoice | null>(null);
  const [placed, setPlaced] = useState<Hold | null>(null);
  if (record.loading && !record.data) return <Loading />;
  if (record.error || !record.data) return <Page title="Record">{<ErrorMessage>{record.error}</ErrorMessage>}</Page>;
  const r = record.data;
  const choose = (c: HoldChoice) => {
    setPlaced(null);
    setChoice(c);
  };
  return (
    <Page title={r.title} wide>
      <Dl
        rows={[
          ['Author', r.author],
          ['Publisher', r.publisher],
          ['Year', r.year ? String(r.year) : null],
          ['ISBN', r.isbn.join(', ')],
          ['Subjects', r.subjects.join('; ')],
          ['Record', String(r.id)],
        ]}
      />
      <section className="card" aria-labelledby="hold-for">
        <h2 id="hold-for">Place a hold</h2>
        {patron ? (
          <>
            <ForBanner patron={patron} onClear={() => setPatron(null)} />
            <Button onClick={() => choose({ type: 'title' })}>Title hold for {patron.firstName}</Button>
            <p className="hint">Volume and copy holds: use the buttons next to your library's call numbers and copies below.</p>
          </>
        ) : (
          <PatronPicker label="Patron to place the hold for (card or name)" onPick={(p) => setPatron(p)} />
        )}
        {patron && choice ? <PlaceHoldForm record={r} patron={patron} choice={choice} onPlaced={(h) => {
          setPlaced(h);
          setChoice(null);
          holds.reload();
          record.reload();
        }} key={JSON.stringify(choice)} /> : null}
        <Ok>
          {placed ? (
            <>
              Hold {placed.id} placed for {placed.patron.name}: {placed.status === 'waiting' ? placed.explanation?.summary ?? 'waiting for a copy' : placed.target ? `copy ${placed.target.barcode} at ${placed.target.library.name}` : placed.status}
              {placed.queuePosition ? `; number ${placed.queuePosition} in line` : ''}.{' '}
              <Link to={`/staff/patrons/${encodeURIComponent(placed.patron.barcode)}`}>Patron's holds</Link>
            </>
          ) : null}
        </Ok>
      </section>
      <h2>Copies</h2>
      {r.volumes.length === 0 ? <p className="empty">No copies.</p> : null}
      {r.volumes.map((v) => {
        const ours = v.library.code === desk?.code;
        return (
          <div key={v.id} className="volume">
            <h3>
              {v.library.name} · <span className="mono">{v.callNumber}</span>
              {ours && patron ? (
                <Button kind="secondary" className="btn-small" onClick={() => choose({ type: 'volume', volumeId: v.id, label: `${v.callNumber} at ${v.library.code}` })}>
                  Volume hold for {patron.firstName}
                </Button>
              ) : null}
            </h3>
            <Table caption={`Copies at ${v.library.name}`}>
              <thead>
                <tr>
                  <th scope="col">Barcode</th>
                  <th scope="col">Status</th>
                  <th scope="col">Location</th>
                  <th scope="col">Due</th>
                  <th scope="col">Holds</th>
                  {ours && patron ? <th scope="col">Copy hold</th> : null}
                </tr>
              </thead>
              <tbody>
                {v.items.map((i) => (
                  <tr key={i.barcode}>
                    <td className="mono">
                      <Link to={`/staff/items/${encodeURIComponent(i.barcode)}`}>{i.barcode}</Link>
                    </td>
                    <td>
                      <Status status={i.status} />
                    </td>
                    <td>
                      {i.location?.name ?? ''}
                      {!i.holdable || i.location?.holdable === false ? ' (not holdable)' : ''}
                    </td>
                    <td>{plainDate(i.dueDate)}</td>
                    <td>{i.holdable && i.location?.holdable !== false ? 'yes' : 'no'}</td>
                    {ours && patron ? (
                      <td>
                        <Button kind="secondary" className="btn-small" onClick={() => choose({ type: 'copy', itemBarcode: i.barcode, label: i.barcode })}>
                          Copy hold on {i.barcode}
                        </Button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </Table>
          </div>
        );
      })}
      {holds.data && holds.data.length > 0 ? (
        <>
          <h2>Holds on this record at {desk?.code}</h2>
          <Table caption="Holds on this record">
            <thead>
              <tr>
                <th scope="col">Hold</th>
                <th scope="col">Patron</th>
                <th scope="col">Status</th>
                <th scope="col">Pickup</th>
                <th scope="col">Copy</th>
              </tr>
            </thead>
            <tbody>
              {holds.data.map((h) => (
                <tr key={h.id}>
                  <td>{h.id}</td>
                  <td>
                    <Link to={`/staff/patrons/${encodeURIComponent(h.patron.barcode)}`}>{h.patron.name}</Link>
                  </td>
                  <td>
                    <Status status={h.status} />
                  </td>
                  <td>{h.pickupLibrary.code}</td>
                  <td className="mono">{(h.capturedItem ?? h.target)?.barcode ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      ) : null}
      <p>
        <Button kind="link" onClick={() => history.back()}>
          Back to the results
        </Button>
      </p>
    </Page>
  );
}
