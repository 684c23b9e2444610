import { useState, type FormEvent } from 'react';
import { apiBase, get, qs } from '../api';
import { Button, ErrorMessage, Field, LibraryOptions, Loading, Page, Select, Table } from '../components';
import { day, todayLocal } from '../format';
import { useLoad } from '../hooks';
import { useSession } from '../session';
import type { BalanceRow, HoldsReport, ReportRow } from '../types';
import { LentBorrowedChart } from './chart';

// Reports: a library's holds report for a period (its patrons' holds, and the holds its copies
// filled for others), with totals, a monthly lent-vs-borrowed chart and the CSV; and the lending
// balance of every member library.

function yearStart(today: string): string {
  return `${today.slice(0, 4)}-01-01`;
}

function monthLabel(month: string): string {
  const [y, m] = month.split('-');
  return new Intl.DateTimeFormat('en-US', { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(y), Number(m) - 1, 1))) + (m === '01' ? ` ${y}` : '');
}

function ReportRows({ rows, caption, other }: { rows: ReportRow[]; caption: string; other: boolean }) {
  if (rows.length === 0) return <p className="empty">None in this period.</p>;
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <th scope="col">Hold</th>
          <th scope="col">Patron</th>
          {other ? <th scope="col">Home library</th> : null}
          <th scope="col">Title</th>
          <th scope="col">Lending library</th>
          <th scope="col">Pickup</th>
          <th scope="col">Placed</th>
          <th scope="col">Filled</th>
          <th scope="col">Cancelled</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.holdId}>
            <td>{r.holdId}</td>
            <td>{r.patron.name}</td>
            {other ? <td>{r.homeLibrary.code}</td> : null}
            <td>{r.title}</td>
            <td>{r.lendingLibrary?.code ?? '—'}</td>
            <td>{r.pickupLibrary.code}</td>
            <td>{day(r.placedAt)}</td>
            <td>{day(r.filledAt)}</td>
            <td>
              {day(r.cancelledAt)}
              {r.cancelReason ? ` (${r.cancelReason})` : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function HoldsReportSection() {
  const { desk, members, user } = useSession();
  const today = todayLocal();
  const [form, setForm] = useState({ library: desk?.code ?? members[0]?.code ?? '', from: yearStart(today), to: today });
  const [params, setParams] = useState<typeof form | null>(desk ? form : null);
  const report = useLoad(() => (params?.library ? get<HoldsReport>(`/reports/holds${qs({ library: params.library, from: params.from, to: params.to })}`) : Promise.resolve(undefined)), [JSON.stringify(params)]);
  const monthly = useLoad(
    () => (params?.library ? get<BalanceRow[]>(`/reports/lending-balance${qs({ from: params.from, to: params.to, by: 'month' })}`).then((rows) => rows.filter((r) => r.library.code === params.library)) : Promise.resolve([])),
    [JSON.stringify(params)],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setParams({ ...form });
  };
  const r = report.data;
  const csv = params ? `${apiBase}/reports/holds${qs({ library: params.library, from: params.from, to: params.to, format: 'csv' })}` : '';
  return (
    <section aria-labelledby="holds-report">
      <h2 id="holds-report">Holds report</h2>
      <form className="inline-form no-print" onSubmit={submit}>
        {user?.role === 'consortium-admin' ? (
          <Select label="Library" value={form.library} onChange={(e) => setForm({ ...form, library: e.target.value })}>
            <LibraryOptions libraries={members} />
          </Select>
        ) : null}
        <Field label="From" type="date" required value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        <Field label="To" type="date" required value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        <Button type="submit">Show report</Button>
      </form>
      <ErrorMessage>{report.error}</ErrorMessage>
      {params && report.loading && !r ? <Loading /> : null}
      {r ? (
        <>
          <p className="button-row no-print">
            <a className="btn btn-secondary" href={csv} download>
              Download CSV
            </a>
            <Button kind="secondary" onClick={() => window.print()}>
              Print
            </Button>
          </p>
          <dl className="totals" data-testid="report-totals">
            <div>
              <dt>Placed by our patrons</dt>
              <dd>{r.totals.placed}</dd>
            </div>
            <div>
              <dt>Borrowed</dt>
              <dd>{r.totals.borrowed}</dd>
            </div>
            <div>
              <dt>Lent</dt>
              <dd>{r.totals.lent}</dd>
            </div>
            <div>
              <dt>Cancelled</dt>
              <dd>{r.totals.cancelled}</dd>
            </div>
          </dl>
          {monthly.data && monthly.data.length > 0 ? (
            <LentBorrowedChart title={`${r.library.name}: holds lent and borrowed per month`} groups={monthly.data.map((m) => ({ label: monthLabel(m.month ?? ''), lent: m.lent, borrowed: m.borrowed }))} />
          ) : null}
          <h3>Holds placed by our patrons ({r.placedByOurPatrons.length})</h3>
          <ReportRows rows={r.placedByOurPatrons} caption="Holds placed by our patrons" other={false} />
          <h3>Holds of other libraries' patrons filled by our copies ({r.placedByOtherPatrons.length})</h3>
          <ReportRows rows={r.placedByOtherPatrons} caption="Holds of other libraries' patrons" other />
        </>
      ) : null}
    </section>
  );
}

function BalanceSection() {
  const today = todayLocal();
  const [form, setForm] = useState({ from: yearStart(today), to: today });
  const [params, setParams] = useState(form);
  const rows = useLoad(() => get<BalanceRow[]>(`/reports/lending-balance${qs(params)}`), [params.from, params.to]);
  return (
    <section aria-labelledby="balance">
      <h2 id="balance">Lending balance</h2>
      <form
        className="inline-form no-print"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ ...form });
        }}
      >
        <Field label="From" type="date" required value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        <Field label="To" type="date" required value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        <Button type="submit">Show balance</Button>
      </form>
      <ErrorMessage>{rows.error}</ErrorMessage>
      {rows.data ? (
        <>
          <LentBorrowedChart title="Holds lent and borrowed per library" groups={rows.data.map((r) => ({ label: r.library.code, lent: r.lent, borrowed: r.borrowed }))} />
          <Table caption="Lending balance per library">
            <thead>
              <tr>
                <th scope="col">Library</th>
                <th scope="col">Lent</th>
                <th scope="col">Borrowed</th>
                <th scope="col">Lent / borrowed</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.map((r) => (
                <tr key={r.library.code}>
                  <td>{r.library.name}</td>
                  <td>{r.lent}</td>
                  <td>{r.borrowed}</td>
                  <td>{r.ratio ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      ) : null}
    </section>
  );
}

export function ReportsPage() {
  return (
    <Page title="Reports" wide>
      <HoldsReportSection />
      <BalanceSection />
    </Page>
  );
}
