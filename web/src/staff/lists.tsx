import { get } from '../api';
import { Button, Empty, ErrorMessage, Loading, Page, Table } from '../components';
import { dateTime, plainDate, statusLabel } from '../format';
import { useLoad } from '../hooks';
import { Link } from '../router';
import { useSession } from '../session';
import type { AwayLine, ProblemLine } from '../types';

// The lists that replace paper folders: our items lent out (at or on their way to other
// libraries), other libraries' items received here, and problem items (bouncing, transit late).

function AwayList({ kind }: { kind: 'lent-out' | 'received' }) {
  const { desk } = useSession();
  const code = desk?.code;
  const list = useLoad(() => (code ? get<AwayLine[]>(`/libraries/${code}/${kind}`) : Promise.resolve([])), [code, kind]);
  const title = kind === 'lent-out' ? 'Lent out' : 'Received';
  if (!code) return <Page title={title}>{null}</Page>;
  return (
    <Page title={`${title} · ${desk?.name}`} wide actions={<Button onClick={() => window.print()}>Print</Button>}>
      <p className="lede">{kind === 'lent-out' ? 'Our items away from here: on their way, on another library’s holds shelf, or lent there.' : "Other libraries' items here: on our holds shelf or lent to our patrons."}</p>
      <ErrorMessage>{list.error}</ErrorMessage>
      {list.loading && !list.data ? (
        <Loading />
      ) : !list.data?.length ? (
        <Empty>Nothing on this list.</Empty>
      ) : (
        <Table caption={title}>
          <thead>
            <tr>
              <th scope="col">Barcode</th>
              <th scope="col">Title</th>
              <th scope="col">{kind === 'lent-out' ? 'Where' : 'Owner'}</th>
              <th scope="col">State</th>
              <th scope="col">Since</th>
              <th scope="col">Patron</th>
              <th scope="col">Due</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((l) => (
              <tr key={l.item.barcode}>
                <td className="mono">
                  <Link to={`/staff/items/${encodeURIComponent(l.item.barcode)}`}>{l.item.barcode}</Link>
                </td>
                <td>{l.item.title}</td>
                <td>{(kind === 'lent-out' ? l.where : l.owner)?.name ?? ''}</td>
                <td>{statusLabel(l.state)}</td>
                <td>{dateTime(l.since)}</td>
                <td>{l.patron ? l.patron.name : ''}</td>
                <td>{plainDate(l.dueDate ?? null)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Page>
  );
}

export function LentOutPage() {
  return <AwayList kind="lent-out" key="lent-out" />;
}

export function ReceivedPage() {
  return <AwayList kind="received" key="received" />;
}

const flagWords: Record<string, string> = {
  bouncing: 'Bouncing between libraries',
  'transit-overdue': 'Transit overdue',
};

function flagText(flag: unknown): string {
  if (typeof flag === 'string') return flagWords[flag] ?? flag;
  if (flag && typeof flag === 'object') {
    const f = flag as { kind?: string; code?: string; message?: string };
    return f.message ?? flagWords[f.kind ?? f.code ?? ''] ?? f.kind ?? f.code ?? '';
  }
  return '';
}

export function ProblemsPage() {
  const { desk } = useSession();
  const code = desk?.code;
  const list = useLoad(() => (code ? get<ProblemLine[]>(`/libraries/${code}/problems`) : Promise.resolve([])), [code]);
  if (!code) return <Page title="Problems">{null}</Page>;
  return (
    <Page title={`Problems · ${desk?.name}`} wide>
      <p className="lede">Our items that keep travelling between libraries without being lent, or whose transit is late.</p>
      <ErrorMessage>{list.error}</ErrorMessage>
      {list.loading && !list.data ? (
        <Loading />
      ) : !list.data?.length ? (
        <Empty>No problem items.</Empty>
      ) : (
        <Table caption="Problem items">
          <thead>
            <tr>
              <th scope="col">Barcode</th>
              <th scope="col">Title</th>
              <th scope="col">Status</th>
              <th scope="col">Problem</th>
              <th scope="col">Transits</th>
              <th scope="col">Last transit</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((p) => (
              <tr key={p.item.barcode}>
                <td className="mono">
                  <Link to={`/staff/items/${encodeURIComponent(p.item.barcode)}`}>{p.item.barcode}</Link>
                </td>
                <td>{p.item.title}</td>
                <td>{statusLabel(p.item.status)}</td>
                <td>{(p.flags ?? []).map(flagText).join('; ')}</td>
                <td>{typeof p.transits === 'number' ? p.transits : ''}</td>
                <td>{typeof p.lastTransitAt === 'string' ? dateTime(p.lastTransitAt) : ''}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Page>
  );
}

export { flagText };
