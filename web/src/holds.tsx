import { useState, type FormEvent } from 'react';
import { errorText, patch, post } from './api';
import { Button, ErrorMessage, Field, LibraryOptions, Select } from './components';
import { cancelReasonLabel, day, plainDate } from './format';
import { useSession } from './session';
import type { CancelReason, Hold } from './types';

// What can be done to an open hold, by staff and by the patron: cancel (staff give a reason),
// suspend until a date or resume, change the pickup library.

export const openStatuses = new Set(['waiting', 'targeted', 'in-transit', 'on-holds-shelf', 'suspended']);

const staffReasons: CancelReason[] = ['patron-request', 'staff', 'lender-unable', 'other'];

export function holdWhere(hold: Hold): string {
  switch (hold.status) {
    case 'waiting':
      return hold.explanation?.summary ?? 'Waiting for a copy to become available.';
    case 'targeted':
      return hold.target ? `Copy ${hold.target.barcode} at ${hold.target.library.name} is being fetched.` : 'A copy is being fetched.';
    case 'in-transit':
      return `On its way to ${hold.pickupLibrary.name}.`;
    case 'on-holds-shelf':
      return `Ready at ${hold.pickupLibrary.name}${hold.shelfExpiresAt ? ` until ${day(hold.shelfExpiresAt)}` : ''}.`;
    case 'suspended':
      return hold.suspendedUntil ? `Suspended until ${plainDate(hold.suspendedUntil)}.` : 'Suspended.';
    case 'fulfilled':
      return 'Checked out.';
    case 'cancelled':
      return `Cancelled${hold.cancelReason ? `: ${cancelReasonLabel(hold.cancelReason)}` : ''}.`;
  }
}

type Mode = null | 'cancel' | 'suspend' | 'pickup';

export function HoldActions({ hold, asPatron, onChanged }: { hold: Hold; asPatron?: boolean; onChanged: (hold: Hold) => void }) {
  const { members } = useSession();
  const [mode, setMode] = useState<Mode>(null);
  const [reason, setReason] = useState<CancelReason>(asPatron ? 'patron-request' : 'patron-request');
  const [note, setNote] = useState('');
  const [until, setUntil] = useState('');
  const [pickup, setPickup] = useState(hold.pickupLibrary.code);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!openStatuses.has(hold.status)) return null;

  const act = async (action: () => Promise<Hold>) => {
    setBusy(true);
    setError(null);
    try {
      const changed = await action();
      setMode(null);
      onChanged(changed);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const submitCancel = (e: FormEvent) => {
    e.preventDefault();
    void act(() => post<Hold>(`/holds/${hold.id}/cancel`, { reason, ...(note.trim() ? { note: note.trim() } : {}) }));
  };
  const submitSuspend = (e: FormEvent) => {
    e.preventDefault();
    if (until) void act(() => patch<Hold>(`/holds/${hold.id}`, { suspendedUntil: until }));
  };
  const submitPickup = (e: FormEvent) => {
    e.preventDefault();
    void act(() => patch<Hold>(`/holds/${hold.id}`, { pickupLibraryCode: pickup }));
  };

  const label = `hold ${hold.id} (${hold.record.title})`;
  return (
    <div className="hold-actions">
      <div className="button-row">
        <Button kind="secondary" aria-expanded={mode === 'cancel'} onClick={() => setMode(mode === 'cancel' ? null : 'cancel')} aria-label={`Cancel ${label}`}>
          Cancel hold
        </Button>
        {hold.status === 'suspended' || hold.suspendedUntil ? (
          <Button kind="secondary" disabled={busy} onClick={() => void act(() => patch<Hold>(`/holds/${hold.id}`, { suspendedUntil: null }))} aria-label={`Resume ${label}`}>
            Resume
          </Button>
        ) : hold.status === 'waiting' || hold.status === 'targeted' ? (
          <Button kind="secondary" aria-expanded={mode === 'suspend'} onClick={() => setMode(mode === 'suspend' ? null : 'suspend')} aria-label={`Suspend ${label}`}>
            Suspend
          </Button>
        ) : null}
        {hold.status !== 'on-holds-shelf' ? (
          <Button kind="secondary" aria-expanded={mode === 'pickup'} onClick={() => setMode(mode === 'pickup' ? null : 'pickup')} aria-label={`Change pickup library of ${label}`}>
            Change pickup
          </Button>
        ) : null}
      </div>
      {mode === 'cancel' ? (
        <form className="subform" onSubmit={submitCancel}>
          {asPatron ? (
            <p>Cancel your hold on “{hold.record.title}”?</p>
          ) : (
            <>
              <Select label="Reason" value={reason} onChange={(e) => setReason(e.target.value as CancelReason)}>
                {staffReasons.map((r) => (
                  <option key={r} value={r}>
                    {cancelReasonLabel(r)}
                  </option>
                ))}
              </Select>
              <Field label="Note for the other library (optional)" value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} />
            </>
          )}
          <Button type="submit" kind="danger" disabled={busy}>
            Cancel this hold
          </Button>
        </form>
      ) : null}
      {mode === 'suspend' ? (
        <form className="subform" onSubmit={submitSuspend}>
          <Field label="Suspend until" type="date" required value={until} onChange={(e) => setUntil(e.target.value)} />
          <Button type="submit" disabled={busy || !until}>
            Suspend
          </Button>
        </form>
      ) : null}
      {mode === 'pickup' ? (
        <form className="subform" onSubmit={submitPickup}>
          <Select label="Pick up at" value={pickup} onChange={(e) => setPickup(e.target.value)}>
            <LibraryOptions libraries={members} />
          </Select>
          <Button type="submit" disabled={busy || pickup === hold.pickupLibrary.code}>
            Change pickup library
          </Button>
        </form>
      ) : null}
      <ErrorMessage>{error}</ErrorMessage>
    </div>
  );
}
