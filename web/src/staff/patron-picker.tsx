import { useState, type FormEvent } from 'react';
import { ApiError, get, qs } from '../api';
import { Button, ErrorMessage, Field, Table } from '../components';
import { useAction } from '../hooks';
import type { Patron } from '../types';

// Find a patron by card barcode (a scan) or by name: a barcode that matches opens at once, a
// name lists the matches to choose from.

export function PatronPicker({ onPick, label = 'Patron card barcode or name', autoFocus }: { onPick: (patron: Patron) => void; label?: string; autoFocus?: boolean }) {
  const [q, setQ] = useState('');
  const [matches, setMatches] = useState<Patron[] | null>(null);
  const { busy, error, setError, run } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const text = q.trim();
    if (!text) return;
    setMatches(null);
    const found = await run(async () => {
      if (!/\s/.test(text)) {
        try {
          return [await get<Patron>(`/patrons/${encodeURIComponent(text)}`)];
        } catch (err) {
          if (!(err instanceof ApiError) || err.status !== 404) throw err;
        }
      }
      return get<Patron[]>(`/patrons${qs({ q: text, limit: 50 })}`);
    });
    if (!found) return;
    if (found.length === 1) {
      setQ('');
      onPick(found[0]);
      return;
    }
    if (found.length === 0) setError(`No patron matches "${text}".`);
    setMatches(found);
  };

  return (
    <div className="patron-picker">
      <form className="inline-form" onSubmit={submit} role="search">
        <Field label={label} value={q} onChange={(e) => setQ(e.target.value)} autoFocus={autoFocus} data-autofocus={autoFocus ? true : undefined} spellCheck={false} autoComplete="off" />
        <Button type="submit" disabled={busy}>
          Find
        </Button>
      </form>
      <ErrorMessage>{error}</ErrorMessage>
      {matches && matches.length > 0 ? (
        <Table caption="Matching patrons">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Card</th>
              <th scope="col">Home library</th>
              <th scope="col">Contact</th>
              <th scope="col">
                <span className="visually-hidden">Choose</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {matches.map((p) => (
              <tr key={p.barcode}>
                <td>
                  {p.name} {p.blocked ? <span className="pill pill-error">Blocked</span> : null}
                </td>
                <td className="mono">{p.barcode}</td>
                <td>{p.homeLibrary.name}</td>
                <td>{[p.email, p.phone].filter(Boolean).join(' · ')}</td>
                <td>
                  <Button
                    kind="secondary"
                    onClick={() => {
                      setMatches(null);
                      setQ('');
                      onPick(p);
                    }}
                  >
                    Choose {p.name}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </div>
  );
}
