import { useState } from 'react';
import { errorText, get, post } from '../api';
import { Button, Empty, ErrorMessage, Loading, Ok, Page, Table } from '../components';
import { dateTime } from '../format';
import { useLoad } from '../hooks';
import { Link } from '../router';
import { useSession } from '../session';
import type { TransitLine } from '../types';

// Transits to us (incoming: expect them in the van) and from us (outgoing), oldest first. A
// transit no longer wanted is cancelled here or on the item screen.

export function TransitsPage() {
  const { desk } = useSession();
  const code = desk?.code;
  const [direction, setDirection] = useState<'incoming' | 'outgoing'>('incoming');
  const list = useLoad(() => (code ? get<TransitLine[]>(`/libraries/${code}/transits?direction=${direction}`) : Promise.resolve([])), [code, direction]);
  const [cancelled, setCancelled] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  const cancel = async (line: TransitLine) => {
    setError(null);
    try {
      await post(`/items/${encodeURIComponent(line.item.barcode)}/cancel-transit`, {});
      setCancelled((c) => ({ ...c, [line.item.barcode]: 'Transit cancelled: scan the item to route it.' }));
    } catch (err) {
      setError(errorText(err));
    }
  };

  if (!code) return <Page title="Transits">{null}</Page>;
  return (
    <Page title={`Transits · ${desk?.name}`} wide actions={<Button onClick={() => window.print()}>Print</Button>}>
      <div className="tabs no-print" role="tablist" aria-label="Direction">
        <button type="button" role="tab" className="tab" aria-selected={direction === 'incoming'} onClick={() => setDirection('incoming')}>
          Incoming (to us)
        </button>
        <button type="button" role="tab" className="tab" aria-selected={direction === 'outgoing'} onClick={() => setDirection('outgoing')}>
          Outgoing (from us)
        </button>
      </div>
      <ErrorMessage>{error ?? list.error}</ErrorMessage>
      {list.loading && !list.data ? (
        <Loading />
      ) : !list.data?.length ? (
        <Empty>No {direction} transits.</Empty>
      ) : (
        <Table caption={`${direction} transits`}>
          <thead>
            <tr>
              <th scope="col">Barcode</th>
              <th scope="col">Title</th>
              <th scope="col">{direction === 'incoming' ? 'From' : 'To'}</th>
              <th scope="col">Kind</th>
              <th scope="col">For</th>
              <th scope="col">Sent</th>
              <th scope="col">Days</th>
              <th scope="col" className="no-print">
                Cancel
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((t) => (
              <tr key={t.id} className={t.daysInTransit > 3 ? 'row-expired' : undefined}>
                <td className="mono">
                  <Link to={`/staff/items/${encodeURIComponent(t.item.barcode)}`}>{t.item.barcode}</Link>
                </td>
                <td>{t.item.title}</td>
                <td>{direction === 'incoming' ? t.source.name : t.destination.name}</td>
                <td>{t.kind === 'hold' ? 'Hold' : 'Going home'}</td>
                <td>{t.hold ? t.hold.patron.name : ''}</td>
                <td>{dateTime(t.sentAt)}</td>
                <td>{t.daysInTransit}</td>
                <td className="no-print">
                  {cancelled[t.item.barcode] ? (
                    <Ok>{cancelled[t.item.barcode]}</Ok>
                  ) : (
                    <Button kind="secondary" className="btn-small" onClick={() => void cancel(t)} aria-label={`Cancel the transit of ${t.item.barcode}`}>
                      Cancel transit
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Page>
  );
}
