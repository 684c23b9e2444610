import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, errorText, post } from '../api';
import { Button, Check, Page, Table } from '../components';
import { dateTime, time } from '../format';
import { useStored } from '../hooks';
import { printSlip } from '../print';
import { Link } from '../router';
import { useDeskParam, useSession } from '../session';
import { play } from '../sound';
import type { ScanAnswer, Slip } from '../types';

// The Scan screen: check in, capture holds and receive transits are one call (DESIGN §4 "The
// scan"). One input that keeps the focus (a scanner types the barcode and Enter), the next
// physical action in large type and colour, the slips printed, a sound per action, and the
// list of this session's scans. Scans run one after another in the order they were scanned.

interface ScanEntry {
  n: number;
  barcode: string;
  at: string;
  state: 'pending' | 'done' | 'error';
  answer?: ScanAnswer;
  error?: { code: string; message: string };
}

function storageKey(user: string | null | undefined, desk: string | undefined): string {
  return `tamarack.scans.${user ?? ''}.${desk ?? ''}`;
}

function loadEntries(key: string): ScanEntry[] {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as ScanEntry[]).filter((e) => e.state !== 'pending') : [];
  } catch {
    return [];
  }
}

export function actionWords(answer: ScanAnswer): { headline: string; detail: string | null } {
  switch (answer.action) {
    case 'shelve':
      return { headline: 'SHELVE HERE', detail: null };
    case 'holds-shelf':
      return { headline: 'HOLDS SHELF', detail: answer.patron ? `for ${answer.patron.name}` : null };
    case 'transit': {
      const to = answer.destination;
      const forPatron = answer.patron && answer.hold ? `for ${answer.patron.name}` : answer.slips.some((s) => s.copies === 0) || !answer.hold ? 'going home' : null;
      return { headline: `SEND TO ${to ? to.name.toUpperCase() : '?'}`, detail: [to ? `(${to.code})` : null, forPatron].filter(Boolean).join(' ') || null };
    }
  }
}

function slipLabel(slip: Slip): string {
  const what = slip.kind === 'transit' ? 'transit slip' : slip.kind === 'hold-shelf' ? 'holds-shelf slip' : 'due-date slip';
  return slip.copies > 1 ? `${what} (${slip.copies} copies)` : what;
}

export function SlipButtons({ slips }: { slips: Slip[] }) {
  const printable = slips.filter((s) => s.copies > 0);
  if (printable.length === 0) return null;
  return (
    <div className="slips">
      {printable.map((slip) => (
        <span key={slip.url} className="slip">
          <Button kind="secondary" onClick={() => printSlip(slip.url)}>
            Print {slipLabel(slip)}
          </Button>{' '}
          <a href={slip.url} target="_blank" rel="noopener">
            Open {slip.kind === 'transit' ? 'transit' : slip.kind} slip
          </a>{' '}
          <a href={`${slip.url}?format=pdf`} target="_blank" rel="noopener">
            PDF
          </a>
        </span>
      ))}
    </div>
  );
}

function ActionPanel({ entry }: { entry: ScanEntry | undefined }) {
  if (!entry) {
    return (
      <div className="action action-idle" aria-live="polite" data-testid="scan-action">
        <p className="action-headline">Ready to scan</p>
        <p className="action-detail">Scan an item: returns, holds to capture and transits arriving are all handled here.</p>
      </div>
    );
  }
  if (entry.state === 'pending') {
    return (
      <div className="action action-pending" aria-live="polite" aria-busy="true" data-testid="scan-action">
        <p className="action-headline">Scanning {entry.barcode}…</p>
        <p className="action-detail">&nbsp;</p>
      </div>
    );
  }
  if (entry.state === 'error' || !entry.answer) {
    return (
      <div className="action action-error" role="alert" data-testid="scan-action" data-action="error">
        <p className="action-headline">NOT SCANNED</p>
        <p className="action-detail">
          {entry.barcode}: {entry.error?.message}
        </p>
      </div>
    );
  }
  const a = entry.answer;
  const words = actionWords(a);
  return (
    <div className={`action action-${a.action}`} aria-live="assertive" data-testid="scan-action" data-action={a.action}>
      <p className="action-headline">{words.headline}</p>
      <p className="action-detail">{words.detail ?? '\u00a0'}</p>
      <p className="action-item">
        <span className="mono">{a.item.barcode}</span> · {a.item.title ?? ''} {a.item.callNumber ? `· ${a.item.callNumber}` : ''}
      </p>
    </div>
  );
}

function ScanFacts({ entry }: { entry: ScanEntry | undefined }) {
  const a = entry?.answer;
  return (
    <div className="scan-facts" aria-live="polite">
      {a ? (
        <>
          <ul className="scan-messages">
            {a.messages.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
            {a.notice === 'email' ? <li>The patron gets an email that the hold is ready.</li> : null}
            {a.notice === 'phone-call' ? (
              <li>
                <strong>Phone the patron</strong>
                {a.patron?.phone ? ` at ${a.patron.phone}` : ''}: the call is on the <Link to="/staff/phone-calls">phone-call list</Link>.
              </li>
            ) : null}
            {a.hold?.shelfExpiresAt && a.action === 'holds-shelf' ? <li>On the shelf until {dateTime(a.hold.shelfExpiresAt)}.</li> : null}
          </ul>
          <SlipButtons slips={a.slips} />
          <p className="scan-links">
            <Link to={`/staff/items/${encodeURIComponent(a.item.barcode)}`}>Item screen for {a.item.barcode}</Link>
            {a.patron ? (
              <>
                {' · '}
                <Link to={`/staff/patrons/${encodeURIComponent(a.patron.barcode)}`}>Patron {a.patron.name}</Link>
              </>
            ) : null}
          </p>
        </>
      ) : null}
    </div>
  );
}

export function ScanPage() {
  const { user, desk } = useSession();
  const deskParam = useDeskParam();
  const key = storageKey(user?.username, desk?.code);
  const [entries, setEntries] = useState<ScanEntry[]>(() => loadEntries(key));
  const [value, setValue] = useState('');
  const [sound, setSound] = useStored('tamarack.scan.sound', true);
  const [autoPrint, setAutoPrint] = useStored('tamarack.scan.autoPrint', true);
  const input = useRef<HTMLInputElement>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const counter = useRef(entries.reduce((m, e) => Math.max(m, e.n), 0));
  const settings = useRef({ sound, autoPrint, deskParam });
  settings.current = { sound, autoPrint, deskParam };

  useEffect(() => {
    try {
      sessionStorage.setItem(key, JSON.stringify(entries.filter((e) => e.state !== 'pending').slice(0, 500)));
    } catch {
      // storage full: the list stays on screen
    }
  }, [entries, key]);

  const focus = useCallback(() => input.current?.focus({ preventScroll: true }), []);

  // The input keeps the focus: clicks on plain page areas and closed print dialogs give it back.
  useEffect(() => {
    const refocus = (e: Event) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, select, textarea, button, a, summary, [tabindex]:not(main)')) return;
      focus();
    };
    const afterPrint = () => setTimeout(focus, 0);
    document.addEventListener('click', refocus);
    window.addEventListener('focus', afterPrint);
    window.addEventListener('tamarack:printed', afterPrint);
    return () => {
      document.removeEventListener('click', refocus);
      window.removeEventListener('focus', afterPrint);
      window.removeEventListener('tamarack:printed', afterPrint);
    };
  }, [focus]);

  const update = (n: number, change: Partial<ScanEntry>) => setEntries((list) => list.map((e) => (e.n === n ? { ...e, ...change } : e)));

  const scan = (barcode: string) => {
    const n = ++counter.current;
    setEntries((list) => [{ n, barcode, at: new Date().toISOString(), state: 'pending' as const }, ...list]);
    queue.current = queue.current.then(async () => {
      const { sound: soundOn, autoPrint: printOn, deskParam: where } = settings.current;
      try {
        const answer = await post<ScanAnswer>('/circulation/scan', { itemBarcode: barcode, ...where });
        update(n, { state: 'done', answer });
        play(answer.action, soundOn);
        if (printOn) {
          const slip = answer.slips.find((s) => s.copies > 0);
          if (slip) printSlip(slip.url);
        }
      } catch (err) {
        update(n, { state: 'error', error: { code: err instanceof ApiError ? err.code : 'ERROR', message: errorText(err) } });
        play('error', soundOn);
      }
    });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const barcode = value.trim();
    setValue('');
    focus();
    if (barcode) scan(barcode);
  };

  const current = entries[0];
  return (
    <Page
      title="Scan"
      wide
      actions={
        <div className="inline-controls">
          <Check label="Sound" checked={sound} onChange={(e) => setSound(e.target.checked)} />
          <Check label="Print slips automatically" checked={autoPrint} onChange={(e) => setAutoPrint(e.target.checked)} />
        </div>
      }
    >
      <p className="lede">Check in, capture holds and receive transits: scan every item here and do what the screen says.</p>
      <form className="scan-form" onSubmit={submit} autoComplete="off">
        <label htmlFor="scan-input" className="scan-label">
          Item barcode
        </label>
        <div className="scan-row">
          <input
            id="scan-input"
            ref={input}
            className="scan-input"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            onBlur={() =>
              setTimeout(() => {
                if (!document.activeElement || document.activeElement === document.body) focus();
              }, 0)
            }
            autoFocus
            data-autofocus
            inputMode="text"
            spellCheck={false}
            autoCapitalize="none"
            enterKeyHint="go"
            aria-describedby="scan-hint"
          />
          <Button type="submit">Scan</Button>
        </div>
        <p id="scan-hint" className="hint">
          Scanner or keyboard: the barcode, then Enter. Working at {desk ? `${desk.name} (${desk.code})` : '—'}.
        </p>
      </form>
      <ActionPanel entry={current} />
      <ScanFacts entry={current} />
      <div className="section-head">
        <h2>This session's scans ({entries.length})</h2>
        {entries.length > 0 ? (
          <Button kind="secondary" onClick={() => setEntries([])}>
            Clear the list
          </Button>
        ) : null}
      </div>
      {entries.length > 0 ? (
        <Table caption="This session's scans, newest first">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">Barcode</th>
              <th scope="col">Title</th>
              <th scope="col">Action</th>
              <th scope="col">For / to</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.n} className={`row-${e.answer?.action ?? e.state}`}>
                <td>{e.n}</td>
                <td>{time(e.at)}</td>
                <td className="mono">
                  <Link to={`/staff/items/${encodeURIComponent(e.barcode)}`}>{e.barcode}</Link>
                </td>
                <td>{e.answer?.item.title ?? ''}</td>
                <td>
                  <span className={`pill pill-${e.answer?.action ?? e.state}`}>{e.answer ? actionWords(e.answer).headline : e.state === 'pending' ? 'Scanning…' : 'Not scanned'}</span>
                </td>
                <td>{e.answer ? [e.answer.patron?.name, e.answer.action === 'transit' ? e.answer.destination?.code : null].filter(Boolean).join(' → ') : e.error?.message}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p className="empty">Nothing scanned yet in this session.</p>
      )}
    </Page>
  );
}
