import { useState } from 'react';
import { apiBase, errorText, get, post, qs } from '../api';
import { Button, Empty, ErrorMessage, Loading, Ok, Page, Table } from '../components';
import { dateTime, day } from '../format';
import { useLoad } from '../hooks';
import { Link } from '../router';
import { useSession } from '../session';
import type { PullLine } from '../types';

// Today's pull list: our items targeted by holds, in shelf order, to fetch and scan. It prints
// on paper without the screen's navigation; a copy that is not on the shelf is marked so here,
// and the hold goes to another library's copy.
//
// A busy library has thousands of lines: the screen loads them a page at a time ("Show more"),
// and the CSV is the whole list.

const pageSize = 100;
/** Lines read again before the next page, so that lines others took off the list meanwhile do not make us skip any. */
const overlap = 10;

interface Lines {
  lines: PullLine[];
  more: boolean;
}

/** A line is a hold and the copy it waits for: a hold sent to another copy of ours is a new line. */
const lineKey = (line: PullLine) => `${line.hold.id}:${line.item.barcode}`;

/** `count` lines from `offset`; one line more says whether any follow, without counting them all. */
async function readLines(code: string, offset: number, count: number): Promise<Lines> {
  const lines = await get<PullLine[]>(`/libraries/${code}/pull-list${qs({ limit: count + 1, offset })}`);
  return { lines: lines.slice(0, count), more: lines.length > count };
}

export function PullListPage() {
  const { desk } = useSession();
  const code = desk?.code;
  const list = useLoad(() => (code ? readLines(code, 0, pageSize) : Promise.resolve({ lines: [], more: false })), [code]);
  const [done, setDone] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const refuse = async (line: PullLine, how: 'not-on-shelf' | 'redirect') => {
    setError(null);
    try {
      await post(`/holds/${line.hold.id}/${how}`);
      setDone((d) => ({
        ...d,
        [lineKey(line)]: how === 'not-on-shelf' ? `${line.item.barcode} marked missing; the hold looks for another copy.` : 'Passed to another library.',
      }));
    } catch (err) {
      setError(errorText(err));
    }
  };

  const showMore = async () => {
    const shown = list.data;
    if (!code || !shown) return;
    setError(null);
    setLoadingMore(true);
    try {
      // the lines marked here have left the list, so the next line stands that much earlier; a few
      // lines are read again in case others took lines off too, and dropped as already shown
      const left = shown.lines.filter((line) => done[lineKey(line)]).length;
      const from = shown.lines.length - left;
      const again = Math.min(overlap, from);
      const next = await readLines(code, from - again, again + pageSize);
      const seen = new Set(shown.lines.map(lineKey));
      list.setData({ lines: [...shown.lines, ...next.lines.filter((line) => !seen.has(lineKey(line)))], more: next.more });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setLoadingMore(false);
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
          <span className="muted no-print">Print prints the lines shown here; the CSV has the whole list.</span>
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
      ) : !list.data?.lines.length ? (
        <Empty>Nothing to pull: no hold is waiting for one of our items.</Empty>
      ) : (
        <>
          <p className="muted">
            {list.data.more ? `Showing the first ${list.data.lines.length} lines; more follow.` : `All ${list.data.lines.length} ${list.data.lines.length === 1 ? 'line' : 'lines'} shown.`}
          </p>
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
              {list.data.lines.map((line) => (
                <tr key={lineKey(line)} className={done[lineKey(line)] ? 'row-done' : undefined}>
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
                    {done[lineKey(line)] ? (
                      <Ok>{done[lineKey(line)]}</Ok>
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
          {list.data.more ? (
            <div className="button-row no-print">
              <Button kind="secondary" onClick={() => void showMore()} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : 'Show more'}
              </Button>
            </div>
          ) : null}
        </>
      )}
    </Page>
  );
}
