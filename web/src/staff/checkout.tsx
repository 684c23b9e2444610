import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, errorText, get, post } from '../api';
import { Button, Check, ErrorMessage, Field, Page, Table } from '../components';
import { plainDate, plainDateLong } from '../format';
import { useStored } from '../hooks';
import { printSlip } from '../print';
import { Link, navigate, useLocation } from '../router';
import { useDeskParam, useSession } from '../session';
import { play } from '../sound';
import type { CheckoutAnswer, PatronDetail } from '../types';
import { LoansTable } from './loans';
import { PatronPicker } from './patron-picker';
import { SlipButtons } from './scan';

// Check out: find the patron (scan the card or search the name), then scan the items. Each due
// date shows large; a refusal is explained, and one staff may set aside (held for another
// patron, damaged, not circulating) can be overridden with a reason that is recorded.

interface Refusal {
  barcode: string;
  code: string;
  message: string;
}

const overridable = new Set(['HELD_FOR_ANOTHER', 'INVALID_STATE']);

function advice(code: string): string | null {
  switch (code) {
    case 'ITEM_IN_TRANSIT':
      return 'Receive it first: scan it on the Scan screen, then check it out.';
    case 'ALREADY_ON_LOAN':
      return 'If it is being returned, scan it on the Scan screen first.';
    case 'PATRON_BLOCKED':
      return "Unblock the card on the patron's screen if the problem is solved.";
    case 'HELD_FOR_ANOTHER':
      return 'Put it back on the holds shelf, or check it out anyway with a reason (the other hold goes back to waiting).';
    case 'NOT_FOUND':
      return 'Check the barcode, or look the item up in the catalog.';
    default:
      return null;
  }
}

export function CheckoutPage() {
  const { query } = useLocation();
  const session = useSession();
  const deskParam = useDeskParam();
  const [patronBarcode, setPatronBarcode] = useState<string | null>(query.get('patron'));
  const [patron, setPatron] = useState<PatronDetail | null>(null);
  const [patronError, setPatronError] = useState<string | null>(null);
  const [item, setItem] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<CheckoutAnswer[]>([]);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [reason, setReason] = useState('');
  const [autoPrint, setAutoPrint] = useStored('tamarack.checkout.autoPrint', false);
  const itemInput = useRef<HTMLInputElement>(null);

  const loadPatron = (barcode: string) =>
    get<PatronDetail>(`/patrons/${encodeURIComponent(barcode)}`).then(
      (p) => {
        setPatron(p);
        setPatronError(null);
      },
      (err: unknown) => setPatronError(errorText(err)),
    );

  useEffect(() => {
    if (patronBarcode) void loadPatron(patronBarcode);
    else setPatron(null);
  }, [patronBarcode]);

  useEffect(() => {
    if (patron) itemInput.current?.focus();
  }, [patron?.barcode]);

  const checkout = async (barcode: string, override?: string) => {
    if (!patron) return;
    setBusy(true);
    setRefusal(null);
    try {
      const answer = await post<CheckoutAnswer>('/circulation/checkout', {
        patronBarcode: patron.barcode,
        itemBarcode: barcode,
        ...(override ? { override: { reason: override } } : {}),
        ...deskParam,
      });
      setDone((list) => [answer, ...list]);
      setReason('');
      play('ok');
      if (autoPrint) {
        const slip = answer.slips.find((s) => s.copies > 0);
        if (slip) printSlip(slip.url);
      }
      void loadPatron(patron.barcode);
    } catch (err) {
      play('error');
      setRefusal({ barcode, code: err instanceof ApiError ? err.code : 'ERROR', message: errorText(err) });
    } finally {
      setBusy(false);
      itemInput.current?.focus();
    }
  };

  const submitItem = (e: FormEvent) => {
    e.preventDefault();
    const barcode = item.trim();
    setItem('');
    if (barcode) void checkout(barcode);
  };

  const submitOverride = (e: FormEvent) => {
    e.preventDefault();
    if (refusal && reason.trim()) void checkout(refusal.barcode, reason.trim());
  };

  const finish = () => {
    setPatronBarcode(null);
    setPatron(null);
    setDone([]);
    setRefusal(null);
    navigate('/staff/checkout', { replace: true });
  };

  const latest = done[0];
  return (
    <Page
      title="Check out"
      wide
      actions={
        <div className="inline-controls">
          <Check label="Print due-date slips automatically" checked={autoPrint} onChange={(e) => setAutoPrint(e.target.checked)} />
          {patron ? (
            <Button kind="secondary" onClick={finish} aria-keyshortcuts="Escape">
              Next patron
            </Button>
          ) : null}
        </div>
      }
    >
      {!patron ? (
        <>
          <p className="lede">Scan the patron's card or type a name, then scan the items.</p>
          <PatronPicker autoFocus onPick={(p) => setPatronBarcode(p.barcode)} />
          <ErrorMessage>{patronError}</ErrorMessage>
        </>
      ) : (
        <div
          onKeyDown={(e) => {
            if (e.key === 'Escape') finish();
          }}
        >
          <div className={`patron-card ${patron.blocked ? 'patron-blocked' : ''}`} data-testid="checkout-patron">
            <div>
              <p className="patron-name">
                <Link to={`/staff/patrons/${encodeURIComponent(patron.barcode)}`}>{patron.name}</Link>
              </p>
              <p>
                Card <span className="mono">{patron.barcode}</span> · home library {patron.homeLibrary.name}
                {patron.email ? ` · ${patron.email}` : ''}
                {patron.phone ? ` · ${patron.phone}` : ''}
              </p>
              {patron.blocked ? (
                <p className="message message-error" role="alert">
                  Card blocked{patron.blockReason ? `: ${patron.blockReason}` : ''}.
                </p>
              ) : null}
            </div>
            <div className="patron-counts">
              <span>{patron.loans.length} on loan</span>
              <span>{patron.holds.filter((h) => h.status === 'on-holds-shelf' && h.pickupLibrary.code === session.desk?.code).length} ready here</span>
            </div>
          </div>
          {patron.holds.some((h) => h.status === 'on-holds-shelf' && h.pickupLibrary.code === session.desk?.code) ? (
            <p className="message message-info">
              On the holds shelf here for {patron.firstName}:{' '}
              {patron.holds
                .filter((h) => h.status === 'on-holds-shelf' && h.pickupLibrary.code === session.desk?.code)
                .map((h) => `${h.record.title}${h.capturedItem ? ` (${h.capturedItem.barcode})` : ''}`)
                .join('; ')}
            </p>
          ) : null}
          <form className="scan-form" onSubmit={submitItem} autoComplete="off">
            <label htmlFor="checkout-item" className="scan-label">
              Item barcode to check out
            </label>
            <div className="scan-row">
              <input id="checkout-item" ref={itemInput} className="scan-input" value={item} onChange={(e) => setItem(e.target.value)} spellCheck={false} autoCapitalize="none" disabled={busy} data-autofocus />
              <Button type="submit" disabled={busy}>
                Check out
              </Button>
            </div>
          </form>
          <div className="due-panel" aria-live="polite" data-testid="due-panel">
            {refusal ? (
              <div className="action action-error" role="alert" data-testid="checkout-refusal">
                <p className="action-headline">NOT CHECKED OUT</p>
                <p className="action-detail">
                  {refusal.barcode}: {refusal.message}
                </p>
                {advice(refusal.code) ? <p>{advice(refusal.code)}</p> : null}
              </div>
            ) : latest ? (
              <div className="action action-due">
                <p className="action-label">Due back</p>
                <p className="action-headline" data-testid="due-date">
                  {plainDateLong(latest.loan.dueDate)}
                </p>
                <p className="action-item">
                  <span className="mono">{latest.loan.item.barcode}</span> · {latest.loan.item.title}
                </p>
              </div>
            ) : (
              <div className="action action-idle">
                <p className="action-headline">Scan an item</p>
                <p className="action-detail">&nbsp;</p>
              </div>
            )}
          </div>
          {refusal && overridable.has(refusal.code) && session.user?.kind === 'staff' ? (
            <form className="card override" onSubmit={submitOverride}>
              <h2>Check out anyway</h2>
              <Field label="Reason (recorded with the loan)" value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} />
              <Button type="submit" kind="danger" disabled={busy || !reason.trim()}>
                Check out {refusal.barcode} anyway
              </Button>{' '}
              <Button kind="secondary" onClick={() => setRefusal(null)}>
                Don't
              </Button>
            </form>
          ) : null}
          {latest && !refusal ? (
            <>
              <SlipButtons slips={latest.slips} />
              {latest.messages?.length ? (
                <ul className="scan-messages">
                  {latest.messages.map((m, i) => (
                    <li key={i}>{m}</li>
                  ))}
                </ul>
              ) : null}
            </>
          ) : null}
          {done.length > 0 ? (
            <>
              <h2>Checked out now</h2>
              <Table caption="Items checked out in this visit">
                <thead>
                  <tr>
                    <th scope="col">Item</th>
                    <th scope="col">Title</th>
                    <th scope="col">Due</th>
                    <th scope="col">Slip</th>
                  </tr>
                </thead>
                <tbody>
                  {done.map((d) => (
                    <tr key={d.loan.id}>
                      <td className="mono">{d.loan.item.barcode}</td>
                      <td>{d.loan.item.title}</td>
                      <td className="due-cell">{plainDate(d.loan.dueDate)}</td>
                      <td>
                        {d.slips
                          .filter((s) => s.copies > 0)
                          .map((s) => (
                            <Button key={s.url} kind="link" onClick={() => printSlip(s.url)}>
                              Print due-date slip
                            </Button>
                          ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </>
          ) : null}
          <h2>All loans of {patron.name}</h2>
          <LoansTable loans={patron.loans} onRenewed={() => void loadPatron(patron.barcode)} caption={`Loans of ${patron.name}`} />
        </div>
      )}
    </Page>
  );
}
