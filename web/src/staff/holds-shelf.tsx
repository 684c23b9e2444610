import { useState } from 'react';
import { get, post } from '../api';
import { Button, Empty, ErrorMessage, Loading, Ok, Page, Table } from '../components';
import { dateTime, day } from '../format';
import { useAction, useLoad } from '../hooks';
import { Link } from '../router';
import { useSession } from '../session';
import type { PatronRef, ShelfLine } from '../types';

// The holds shelf, by patron name, and its clear-shelf list: holds not picked up by their date.
// Clearing cancels those holds (not picked up); each item is then scanned, and the scan routes
// it to the next patron in line or home.

interface Cleared {
  cleared: number;
  items: { barcode: string; title: string; callNumber: string; patron: PatronRef }[];
}

export function HoldsShelfPage() {
  const { desk } = useSession();
  const code = desk?.code;
  const [expiredOnly, setExpiredOnly] = useState(false);
  const shelf = useLoad(() => (code ? get<ShelfLine[]>(`/libraries/${code}/holds-shelf${expiredOnly ? '?expired=true' : ''}`) : Promise.resolve([])), [code, expiredOnly]);
  const [cleared, setCleared] = useState<Cleared | null>(null);
  const clear = useAction();

  const clearShelf = async () => {
    const answer = await clear.run(() => post<Cleared>(`/libraries/${code}/holds-shelf/clear`));
    if (answer) {
      setCleared(answer);
      shelf.reload();
    }
  };

  if (!code) return <Page title="Holds shelf">{null}</Page>;
  const lines = shelf.data ?? [];
  return (
    <Page
      title={`Holds shelf · ${desk?.name}`}
      wide
      actions={
        <>
          <Button onClick={() => window.print()}>Print</Button>
          <Button kind="secondary" onClick={() => shelf.reload()}>
            Refresh
          </Button>
        </>
      }
    >
      <div className="tabs no-print" role="tablist" aria-label="Which list">
        <button type="button" role="tab" aria-selected={!expiredOnly} className="tab" onClick={() => setExpiredOnly(false)}>
          Everything on the shelf
        </button>
        <button type="button" role="tab" aria-selected={expiredOnly} className="tab" onClick={() => setExpiredOnly(true)}>
          Clear-shelf list (expired)
        </button>
      </div>
      {cleared ? (
        <div className="card" role="status">
          <h2>Cleared {cleared.cleared} {cleared.cleared === 1 ? 'hold' : 'holds'}</h2>
          {cleared.items.length > 0 ? (
            <>
              <p>
                Take these items off the shelf and scan each one on the <Link to="/staff/scan">Scan screen</Link>: it goes to the next patron in line or home.
              </p>
              <ul>
                {cleared.items.map((i) => (
                  <li key={i.barcode}>
                    <span className="mono">{i.barcode}</span> {i.title} (was for {i.patron.name})
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      <ErrorMessage>{shelf.error ?? clear.error}</ErrorMessage>
      {expiredOnly && lines.length > 0 ? (
        <p>
          <Button kind="danger" onClick={() => void clearShelf()} disabled={clear.busy}>
            Clear the shelf: cancel these {lines.length} holds (not picked up)
          </Button>
        </p>
      ) : null}
      {shelf.loading && !shelf.data ? (
        <Loading />
      ) : lines.length === 0 ? (
        <Empty>{expiredOnly ? 'Nothing has expired on the shelf.' : 'The holds shelf is empty.'}</Empty>
      ) : (
        <Table caption={expiredOnly ? 'Clear-shelf list' : 'Holds shelf'}>
          <thead>
            <tr>
              <th scope="col">Patron</th>
              <th scope="col">Title</th>
              <th scope="col">Barcode</th>
              <th scope="col">Call number</th>
              <th scope="col">On shelf since</th>
              <th scope="col">Pick up by</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.hold.id} className={l.expired ? 'row-expired' : undefined}>
                <td>
                  <Link to={`/staff/patrons/${encodeURIComponent(l.patron.barcode)}`}>{l.patron.name}</Link>
                </td>
                <td>{l.item.title}</td>
                <td className="mono">
                  <Link to={`/staff/items/${encodeURIComponent(l.item.barcode)}`}>{l.item.barcode}</Link>
                </td>
                <td className="mono">{l.item.callNumber}</td>
                <td>{day(l.shelvedAt)}</td>
                <td>
                  {dateTime(l.shelfExpiresAt)}
                  {l.expired ? <strong> (expired)</strong> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {cleared && cleared.cleared === 0 ? <Ok>Nothing needed clearing.</Ok> : null}
    </Page>
  );
}
