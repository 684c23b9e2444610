import { useEffect, useState } from 'react';
import { errorText, get, post } from '../api';
import { Button, Table } from '../components';
import { plainDate } from '../format';
import { Link } from '../router';
import type { ItemScreen, Loan, PatronLoan } from '../types';

// A patron's loans with renew buttons. The patron answer names each loan's item by barcode
// only, so staff screens read the titles from the item screens.

export function useItemTitles(barcodes: string[]): Record<string, string> {
  const [titles, setTitles] = useState<Record<string, string>>({});
  const key = barcodes.join(',');
  useEffect(() => {
    let live = true;
    const missing = barcodes.filter((b) => !(b in titles));
    if (missing.length === 0) return;
    void Promise.all(missing.map((b) => get<ItemScreen>(`/items/${encodeURIComponent(b)}`).then((i) => [b, i.record.title] as const, () => [b, ''] as const))).then((pairs) => {
      if (live) setTitles((t) => ({ ...t, ...Object.fromEntries(pairs) }));
    });
    return () => {
      live = false;
    };
  }, [key]);
  return titles;
}

export function LoansTable({ loans, onRenewed, caption = 'Loans' }: { loans: PatronLoan[]; onRenewed?: () => void; caption?: string }) {
  const titles = useItemTitles(loans.map((l) => l.item.barcode));
  const [results, setResults] = useState<Record<string, { ok: boolean; text: string }>>({});
  const renew = async (barcode: string) => {
    try {
      const answer = await post<{ loan: Loan }>('/circulation/renew', { itemBarcode: barcode });
      setResults((r) => ({ ...r, [barcode]: { ok: true, text: `Renewed: due ${plainDate(answer.loan.dueDate)}` } }));
      onRenewed?.();
    } catch (err) {
      setResults((r) => ({ ...r, [barcode]: { ok: false, text: errorText(err) } }));
    }
  };
  if (loans.length === 0) return <p className="empty">No loans.</p>;
  const today = new Date().toISOString().slice(0, 10);
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Title</th>
          <th scope="col">Owner</th>
          <th scope="col">Due</th>
          <th scope="col">Renewals</th>
          <th scope="col">Renew</th>
        </tr>
      </thead>
      <tbody>
        {loans.map((l) => (
          <tr key={l.id}>
            <td className="mono">
              <Link to={`/staff/items/${encodeURIComponent(l.item.barcode)}`}>{l.item.barcode}</Link>
            </td>
            <td>{l.item.title ?? titles[l.item.barcode] ?? ''}</td>
            <td>{l.item.library.code}</td>
            <td className={l.dueDate < today ? 'overdue' : undefined}>
              {plainDate(l.dueDate)}
              {l.dueDate < today ? ' (overdue)' : ''}
            </td>
            <td>{l.renewals}</td>
            <td>
              <Button kind="secondary" onClick={() => void renew(l.item.barcode)}>
                Renew {l.item.barcode}
              </Button>
              {results[l.item.barcode] ? (
                <span className={results[l.item.barcode].ok ? 'inline-ok' : 'inline-error'} role={results[l.item.barcode].ok ? 'status' : 'alert'}>
                  {' '}
                  {results[l.item.barcode].text}
                </span>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
