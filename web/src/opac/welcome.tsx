import { useState, type FormEvent } from 'react';
import { get, patch } from '../api';
import { Button, ErrorMessage, Field, Page } from '../components';
import { useAction } from '../hooks';
import { navigate } from '../router';
import { useSession } from '../session';
import type { Patron, User } from '../types';

// First sign-in with the card number and the PIN the library gave: choose a user name and a
// password of your own. (The PIN is the current password the API asks for.)

export function WelcomePage() {
  const session = useSession();
  const user = session.user;
  const [username, setUsername] = useState('');
  const [pin, setPin] = useState(session.lastPassword ?? '');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const { busy, error, setError, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== again) {
      setError('The two new passwords are not the same.');
      return;
    }
    const saved = await run(() => patch<Patron>(`/patrons/${encodeURIComponent(user?.barcode ?? '')}`, { username: username.trim(), password, currentPassword: pin }));
    if (!saved) return;
    const me = await get<User & { user?: User }>('/auth/me').catch(() => null);
    if (me) session.signedIn(me.user ?? me);
    navigate('/account', { replace: true });
  };
  return (
    <Page title="Welcome! Choose your sign-in">
      <p>You signed in with your card number and the PIN from the library. Choose a user name and a password of your own for next time.</p>
      <form className="card form-narrow" onSubmit={submit}>
        <Field label="User name" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoFocus data-autofocus spellCheck={false} autoCapitalize="none" hint="Letters, digits, . _ @ + or -." />
        {session.lastPassword ? null : <Field label="PIN from the library" type="password" autoComplete="current-password" required value={pin} onChange={(e) => setPin(e.target.value)} />}
        <Field label="New password" type="password" autoComplete="new-password" required minLength={8} value={password} onChange={(e) => setPassword(e.target.value)} hint="At least 8 characters." />
        <Field label="New password again" type="password" autoComplete="new-password" required minLength={8} value={again} onChange={(e) => setAgain(e.target.value)} />
        <ErrorMessage>{error}</ErrorMessage>
        <Button type="submit" disabled={busy}>
          Save and continue
        </Button>{' '}
        <Button kind="link" onClick={() => navigate('/account', { replace: true })}>
          Not now
        </Button>
      </form>
    </Page>
  );
}
