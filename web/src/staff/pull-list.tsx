import { useState } from 'react';
import { apiBase, errorText, get, post } from '../api';
import { Button, Empty, ErrorMessage, Loading, Ok, Page, Table } from '../components';
import { dateTime, day } from '../format';
import { useLoad } from '../hooks';
import { Link } from '../router';
import { useSession } from '../session';
import type { PullLine } from '../types';

// Today's pull list: our items targeted by holds, in shelf order, to fetch and scan. It prints
// on paper without the screen's navigation; a copy that is not on the shelf is marked so here,
// and the hold goes to another library's copy.

export function PullListPage() {
  const { desk } = useSession();
  const code = desk?.code;
  const list = useLoad(() => (code ? get<PullLine[]>(`/libraries/${code}/pull-list`) : Promise.resolve([])), [code]);
  const [done, setDone] = useState<Record<number, string>>({});
  const [error, setError] = useState<string | null>(null);

  const refuse = async (line: PullLine, how: 'not-on-shelf' | 'redirect') => {
    setError(null);
    try {
      await post(`/holds/${line.hold.id}/${how}`);
      setDone((d) => ({
        ...d,
        [line.hold.id]: how === 'not-on-shelf' ? `${line.item.barcode} marked missing; the hold looks for another copy.` : 'Passed to another library.',
      }));
    } catch (err) {
      setError(errorText(err));
    }
  };

  if (!code) return <Page title="Pull list">{null}</Page>;
  return (
    <Page
      title={`Pull list · ${desk?.name}`}
      wide
      actions={
        <>
          <Button onClick={() => window.print()}>Print</Button>
          <a className="btn btn-secondary" href={`${apiBase}/libraries/${code}/pull-list?format=csv`} download={`pull-list-${code}.csv`}>
            Download CSV
          </a>
          <Button kind="secondary" onClick={() => list.reload()}>
            Refresh
          </Button>
        </>
      }
    >
      <p className="lede print-only">Printed {dateTime(new Date().toISOString())}</p>
      <p className="lede no-print">Fetch these items from the shelf and scan each one on the Scan screen: it is captured for its hold.</p>
      <ErrorMessage>{error ?? list.error}</ErrorMessage>
      {list.loading && !list.data ? (
        <Loading />
      ) : !list.data?.length ? (
        <Empty>Nothing to pull: no hold is waiting for one of our items.</Empty>
      ) : (
        <Table caption="Items to pull" className="pull-list">
          <thead>
            <tr>
              <th scope="col">Location</th>
              <th scope="col">Call number</th>
              <th scope="col">Title</th>
              <th scope="col">Barcode</th>
              <th scope="col">For</th>
              <th scope="col">Pickup</th>
              <th scope="col">Requested</th>
              <th scope="col" className="no-print">
                Not there?
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((line) => (
              <tr key={line.hold.id} className={done[line.hold.id] ? 'row-done' : undefined}>
                <td>{line.item.location}</td>
                <td className="mono">{line.item.callNumber}</td>
                <td>
                  {line.item.title}
                  {line.item.author ? <span className="muted"> — {line.item.author}</span> : null}
                </td>
                <td className="mono">
                  <Link to={`/staff/items/${encodeURIComponent(line.item.barcode)}`}>{line.item.barcode}</Link>
                </td>
                <td>{line.patron.name}</td>
                <td>{line.pickupLibrary.code}</td>
                <td>{day(line.requestedAt)}</td>
                <td className="no-print">
                  {done[line.hold.id] ? (
                    <Ok>{done[line.hold.id]}</Ok>
                  ) : (
                    <div className="button-row">
                      <Button kind="secondary" className="btn-small" onClick={() => void refuse(line, 'not-on-shelf')} aria-label={`Not on shelf: ${line.item.barcode}`}>
                        Not on shelf
                      </Button>
                      <Button kind="link" className="btn-small" onClick={() => void refuse(line, 'redirect')} aria-label={`Can't fill, pass to another library: ${line.item.barcode}`}>
                        Can't fill
                      </Button>
                    </div>
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
