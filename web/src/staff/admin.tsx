import { useState, type FormEvent } from 'react';
import { get, patch, post, qs } from '../api';
import { Button, Check, ErrorMessage, Field, LibraryOptions, Loading, Ok, Page, Select, Table } from '../components';
import { day } from '../format';
import { useAction, useLoad } from '../hooks';
import { useSession } from '../session';
import type { ClosedDates, Consortium, Library, OpeningHours, StaffAccount, StaffRole, Weekday } from '../types';

// Administration. Library administrators: their library's hours, closed dates, shelf and loan
// days, and its staff accounts. Consortium administrators: every library (and the lending
// program), new libraries, all staff, and the targeting policy.

const weekdays: [Weekday, string][] = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
];

function LibraryForm({ library, isConsortiumAdmin, onSaved }: { library: Library; isConsortiumAdmin: boolean; onSaved: () => void }) {
  const [name, setName] = useState(library.name);
  const [email, setEmail] = useState(library.email ?? '');
  const [phone, setPhone] = useState(library.phone ?? '');
  const [participates, setParticipates] = useState(library.participatesInLending);
  const [holdShelfDays, setHoldShelfDays] = useState(library.holdShelfDays);
  const [loanDays, setLoanDays] = useState(library.loanDays);
  const [timezone, setTimezone] = useState(library.timezone);
  const [hours, setHours] = useState<OpeningHours>(library.openingHours);
  const [closed, setClosed] = useState<ClosedDates[]>(library.closedDates.map((c) => ({ from: c.from, to: c.to, reason: c.reason ?? '' })));
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();

  const setDay = (d: Weekday, value: [string, string] | null) => setHours({ ...hours, [d]: value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const body: Record<string, unknown> = {
      name: name.trim(),
      email: email.trim() || null,
      phone: phone.trim() || null,
      timezone: timezone.trim(),
      holdShelfDays,
      loanDays,
      openingHours: Object.fromEntries(weekdays.map(([d]) => [d, hours[d] ?? null])),
      closedDates: closed.filter((c) => c.from && c.to).map((c) => ({ from: c.from, to: c.to, ...(c.reason?.trim() ? { reason: c.reason.trim() } : {}) })),
    };
    if (isConsortiumAdmin) body.participatesInLending = participates;
    if (await run(() => patch<Library>(`/libraries/${library.code}`, body))) {
      setSaved(true);
      onSaved();
    }
  };

  return (
    <form className="card" onSubmit={submit} aria-label={`Settings of ${library.name}`}>
      <h3>
        {library.name} ({library.code})
      </h3>
      <div className="grid-form">
        <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} required />
        <Field label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        <Field label="Phone" type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />
        <Field label="Time zone" value={timezone} onChange={(e) => setTimezone(e.target.value)} required hint="e.g. America/New_York" />
        <Field label="Holds shelf days" type="number" min={1} max={90} value={holdShelfDays} onChange={(e) => setHoldShelfDays(Number(e.target.value))} />
        <Field label="Loan days" type="number" min={1} max={365} value={loanDays} onChange={(e) => setLoanDays(Number(e.target.value))} />
      </div>
      {isConsortiumAdmin ? (
        <Check label="Takes part in the lending program (lends to and borrows from other libraries)" checked={participates} onChange={(e) => setParticipates(e.target.checked)} />
      ) : (
        <p>Lending program: {library.participatesInLending ? 'takes part' : 'does not take part'}.</p>
      )}
      <fieldset>
        <legend>Opening hours</legend>
        <Table caption="Opening hours">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Open</th>
              <th scope="col">Opens</th>
              <th scope="col">Closes</th>
            </tr>
          </thead>
          <tbody>
            {weekdays.map(([d, label]) => {
              const h = hours[d] ?? null;
              return (
                <tr key={d}>
                  <th scope="row">{label}</th>
                  <td>
                    <Check label={`Open on ${label}`} checked={h !== null} onChange={(e) => setDay(d, e.target.checked ? ['09:00', '17:00'] : null)} />
                  </td>
                  <td>{h ? <Field label={`${label} opens`} className="compact" type="time" value={h[0]} onChange={(e) => setDay(d, [e.target.value, h[1]])} required /> : '—'}</td>
                  <td>{h ? <Field label={`${label} closes`} className="compact" type="time" value={h[1]} onChange={(e) => setDay(d, [h[0], e.target.value])} required /> : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      </fieldset>
      <fieldset>
        <legend>Closed dates</legend>
        {closed.length === 0 ? <p className="empty">No closed dates.</p> : null}
        {closed.map((c, n) => (
          <div className="inline-form" key={n}>
            <Field label="From" type="date" value={c.from} onChange={(e) => setClosed(closed.map((x, i) => (i === n ? { ...x, from: e.target.value } : x)))} required />
            <Field label="To" type="date" value={c.to} onChange={(e) => setClosed(closed.map((x, i) => (i === n ? { ...x, to: e.target.value } : x)))} required />
            <Field label="Reason" value={c.reason ?? ''} onChange={(e) => setClosed(closed.map((x, i) => (i === n ? { ...x, reason: e.target.value } : x)))} />
            <Button kind="secondary" onClick={() => setClosed(closed.filter((_, i) => i !== n))} aria-label={`Remove closed dates ${c.from} to ${c.to}`}>
              Remove
            </Button>
          </div>
        ))}
        <Button kind="secondary" onClick={() => setClosed([...closed, { from: '', to: '', reason: '' }])}>
          Add closed dates
        </Button>
      </fieldset>
      <ErrorMessage>{error}</ErrorMessage>
      <Ok>{saved ? 'Saved.' : null}</Ok>
      <Button type="submit" disabled={busy}>
        Save {library.code}
      </Button>
    </form>
  );
}

function NewLibraryForm({ onCreated }: { onCreated: () => void }) {
  const { libraries } = useSession();
  const [form, setForm] = useState({ code: '', name: '', kind: 'library', parentCode: '', participates: true, timezone: 'America/New_York' });
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const created = await run(() =>
      post<Library>('/libraries', {
        code: form.code.trim(),
        name: form.name.trim(),
        kind: form.kind,
        ...(form.parentCode ? { parentCode: form.parentCode } : {}),
        participatesInLending: form.participates,
        timezone: form.timezone.trim(),
      }),
    );
    if (created) {
      setForm({ ...form, code: '', name: '' });
      onCreated();
    }
  };
  return (
    <form className="card grid-form" onSubmit={submit}>
      <h3>Add a library or system</h3>
      <Field label="Code" value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} required maxLength={20} />
      <Field label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
      <Select label="Kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
        <option value="library">Library</option>
        <option value="system">System (groups branches)</option>
      </Select>
      <Select label="In system" value={form.parentCode} onChange={(e) => setForm({ ...form, parentCode: e.target.value })}>
        <LibraryOptions libraries={libraries.filter((l) => l.kind === 'system')} placeholder="(directly in the consortium)" />
      </Select>
      <Field label="Time zone" value={form.timezone} onChange={(e) => setForm({ ...form, timezone: e.target.value })} />
      <Check label="Takes part in the lending program" checked={form.participates} onChange={(e) => setForm({ ...form, participates: e.target.checked })} />
      <ErrorMessage>{error}</ErrorMessage>
      <Button type="submit" disabled={busy}>
        Add
      </Button>
    </form>
  );
}

function LibrariesSection() {
  const { libraries, user, refreshLibraries } = useSession();
  const isConsortiumAdmin = user?.role === 'consortium-admin';
  const editable = isConsortiumAdmin ? libraries.filter((l) => l.kind === 'library') : libraries.filter((l) => l.code === user?.library.code);
  const [code, setCode] = useState(editable[0]?.code ?? '');
  const chosen = editable.find((l) => l.code === code) ?? editable[0];
  return (
    <section aria-labelledby="admin-libraries">
      <h2 id="admin-libraries">Libraries</h2>
      {isConsortiumAdmin ? (
        <>
          <Table caption="Libraries">
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">System</th>
                <th scope="col">Lending program</th>
                <th scope="col">Shelf / loan days</th>
              </tr>
            </thead>
            <tbody>
              {libraries.map((l) => (
                <tr key={l.code}>
                  <td>{l.code}</td>
                  <td>{l.name}</td>
                  <td>{l.kind}</td>
                  <td>{l.parentCode ?? ''}</td>
                  <td>{l.kind === 'library' ? (l.participatesInLending ? 'yes' : 'no') : ''}</td>
                  <td>{l.kind === 'library' ? `${l.holdShelfDays} / ${l.loanDays}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </Table>
          <Select label="Library to edit" value={chosen?.code ?? ''} onChange={(e) => setCode(e.target.value)}>
            <LibraryOptions libraries={editable} />
          </Select>
        </>
      ) : null}
      {chosen ? <LibraryForm library={chosen} isConsortiumAdmin={isConsortiumAdmin} onSaved={refreshLibraries} key={chosen.code} /> : null}
      {isConsortiumAdmin ? <NewLibraryForm onCreated={refreshLibraries} /> : null}
    </section>
  );
}

const roles: StaffRole[] = ['circulation', 'cataloger', 'library-admin', 'consortium-admin'];

function StaffSection() {
  const { user, members } = useSession();
  const isConsortiumAdmin = user?.role === 'consortium-admin';
  const [library, setLibrary] = useState(isConsortiumAdmin ? '' : (user?.library.code ?? ''));
  const staff = useLoad(() => get<StaffAccount[]>(`/staff${qs({ library: library || undefined, limit: 1000 })}`), [library]);
  const [form, setForm] = useState({ username: '', password: '', role: 'circulation' as StaffRole, libraryCode: user?.library.code ?? '' });
  const add = useAction();
  const change = useAction();
  const [resetFor, setResetFor] = useState<string | null>(null);
  const [newPassword, setNewPassword] = useState('');
  const [done, setDone] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const created = await add.run(() => post<StaffAccount>('/staff', { ...form, username: form.username.trim(), libraryCode: isConsortiumAdmin ? form.libraryCode : user?.library.code }));
    if (created) {
      setForm({ ...form, username: '', password: '' });
      setDone(`Added ${created.username}.`);
      staff.reload();
    }
  };
  const update = async (username: string, body: Record<string, unknown>, message: string) => {
    if (await change.run(() => patch<StaffAccount>(`/staff/${encodeURIComponent(username)}`, body))) {
      setDone(message);
      setResetFor(null);
      setNewPassword('');
      staff.reload();
    }
  };
  return (
    <section aria-labelledby="admin-staff">
      <h2 id="admin-staff">Staff accounts</h2>
      {isConsortiumAdmin ? (
        <Select label="Show staff of" value={library} onChange={(e) => setLibrary(e.target.value)}>
          <LibraryOptions libraries={members} placeholder="All libraries" />
        </Select>
      ) : null}
      <ErrorMessage>{staff.error ?? change.error}</ErrorMessage>
      <Ok>{done}</Ok>
      {staff.loading && !staff.data ? (
        <Loading />
      ) : (
        <Table caption="Staff accounts">
          <thead>
            <tr>
              <th scope="col">User name</th>
              <th scope="col">Library</th>
              <th scope="col">Role</th>
              <th scope="col">Active</th>
              <th scope="col">Since</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {(staff.data ?? []).map((s) => (
              <tr key={s.username}>
                <td>{s.username}</td>
                <td>{s.library.code}</td>
                <td>
                  <select aria-label={`Role of ${s.username}`} value={s.role} onChange={(e) => void update(s.username, { role: e.target.value }, `${s.username} is now ${e.target.value}.`)}>
                    {roles
                      .filter((r) => isConsortiumAdmin || r !== 'consortium-admin')
                      .map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                  </select>
                </td>
                <td>{s.active ? 'yes' : 'no'}</td>
                <td>{day(s.createdAt)}</td>
                <td>
                  <div className="button-row">
                    <Button kind="secondary" className="btn-small" onClick={() => void update(s.username, { active: !s.active }, `${s.username} ${s.active ? 'deactivated' : 'activated'}.`)}>
                      {s.active ? 'Deactivate' : 'Activate'}
                    </Button>
                    <Button kind="link" className="btn-small" onClick={() => setResetFor(resetFor === s.username ? null : s.username)}>
                      New password
                    </Button>
                  </div>
                  {resetFor === s.username ? (
                    <form
                      className="inline-form"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void update(s.username, { password: newPassword }, `New password set for ${s.username}.`);
                      }}
                    >
                      <Field label={`New password for ${s.username}`} type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNewPassword(e.target.value)} required minLength={8} />
                      <Button type="submit">Set</Button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <form className="card grid-form" onSubmit={submit}>
        <h3>Add a staff account</h3>
        <Field label="User name" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required autoComplete="off" />
        <Field label="Password" type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required minLength={8} hint="At least 8 characters." />
        <Select label="Role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as StaffRole })}>
          {roles
            .filter((r) => isConsortiumAdmin || r !== 'consortium-admin')
            .map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
        </Select>
        {isConsortiumAdmin ? (
          <Select label="Library" value={form.libraryCode} onChange={(e) => setForm({ ...form, libraryCode: e.target.value })}>
            <LibraryOptions libraries={members} placeholder="Choose…" />
          </Select>
        ) : null}
        <ErrorMessage>{add.error}</ErrorMessage>
        <Button type="submit" disabled={add.busy}>
          Add account
        </Button>
      </form>
    </section>
  );
}

function ConsortiumSection() {
  const consortium = useLoad(() => get<Consortium>('/consortium'), []);
  const { busy, error, run } = useAction();
  const [draft, setDraft] = useState<Consortium | null>(null);
  const [saved, setSaved] = useState(false);
  const c = draft ?? consortium.data;
  if (!c) return consortium.error ? <ErrorMessage>{consortium.error}</ErrorMessage> : <Loading />;
  const set = (change: Partial<Consortium>) => setDraft({ ...c, ...change });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const next = await run(() =>
      patch<Consortium>('/consortium', {
        name: c.name,
        targetingPolicy: c.targetingPolicy,
        retargetAfterHours: c.retargetAfterHours,
        maxOpenHoldsPerPatron: c.maxOpenHoldsPerPatron,
        bounceTransits: c.bounceTransits,
        bounceDays: c.bounceDays,
      }),
    );
    if (next) {
      setDraft(null);
      consortium.setData(next);
      setSaved(true);
    }
  };
  return (
    <section aria-labelledby="admin-consortium">
      <h2 id="admin-consortium">Consortium and targeting</h2>
      <form className="card grid-form" onSubmit={submit}>
        <Field label="Consortium name" value={c.name} onChange={(e) => set({ name: e.target.value })} required />
        <fieldset>
          <legend>Targeting policy among equally near libraries</legend>
          <div className="check">
            <input type="radio" id="policy-random" name="policy" checked={c.targetingPolicy === 'random'} onChange={() => set({ targetingPolicy: 'random' })} />
            <label htmlFor="policy-random">Random: each library equally likely</label>
          </div>
          <div className="check">
            <input type="radio" id="policy-balanced" name="policy" checked={c.targetingPolicy === 'balanced'} onChange={() => set({ targetingPolicy: 'balanced' })} />
            <label htmlFor="policy-balanced">Balanced: libraries that lent less in the last 30 days are more likely</label>
          </div>
        </fieldset>
        <Field label="Retarget after (opening hours)" type="number" min={1} value={c.retargetAfterHours} onChange={(e) => set({ retargetAfterHours: Number(e.target.value) })} />
        <Field label="Open holds per patron" type="number" min={1} value={c.maxOpenHoldsPerPatron} onChange={(e) => set({ maxOpenHoldsPerPatron: Number(e.target.value) })} />
        <Field label="Bouncing: transits" type="number" min={2} value={c.bounceTransits} onChange={(e) => set({ bounceTransits: Number(e.target.value) })} />
        <Field label="Bouncing: within days" type="number" min={1} value={c.bounceDays} onChange={(e) => set({ bounceDays: Number(e.target.value) })} />
        <ErrorMessage>{error}</ErrorMessage>
        <Ok>{saved ? 'Saved.' : null}</Ok>
        <Button type="submit" disabled={busy}>
          Save consortium settings
        </Button>
      </form>
    </section>
  );
}

export function AdminPage() {
  const { hasRole, user } = useSession();
  if (!hasRole('library-admin')) {
    return (
      <Page title="Admin">
        <p>Administration is for library and consortium administrators.</p>
      </Page>
    );
  }
  return (
    <Page title="Admin" wide>
      {user?.role === 'consortium-admin' ? <ConsortiumSection /> : null}
      <LibrariesSection />
      <StaffSection />
    </Page>
  );
}
