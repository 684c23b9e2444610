import { useState, type FormEvent } from 'react';
import { post } from './api';
import { Button, ErrorMessage, Field, Page } from './components';
import { useAction } from './hooks';
import { navigate } from './router';
import { useSession } from './session';
import type { User } from './types';

// One sign-in form for everyone: staff with their user name, patrons with their user name or
// library card number. Staff land on the Scan screen, patrons on their account.

export function LoginPage({ next, notice }: { next?: string | null; notice?: string | null }) {
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const answer = await run(() => post<{ user: User }>('/auth/login', { username: username.trim(), password }));
    if (!answer) return;
    const user = answer.user;
    session.signedIn(user, password);
    if (user.kind === 'staff') navigate(next && next.startsWith('/staff') ? next : '/staff/scan', { replace: true });
    else if (!user.username) navigate('/account/welcome', { replace: true });
    else navigate(next && !next.startsWith('/staff') && next !== '/login' ? next : '/account', { replace: true });
  };

  return (
    <Page title="Sign in">
      {notice ? (
        <p className="message message-warn" role="status">
          {notice}
        </p>
      ) : null}
      <form className="card form-narrow" onSubmit={submit} aria-describedby="login-help">
        <Field
          label="User name or library card number"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          data-autofocus
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <Field label="Password or PIN" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <ErrorMessage>{error}</ErrorMessage>
        <Button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
        <p className="hint" id="login-help">
          Library staff: your staff user name. Patrons: your user name, or the number on your library card with the PIN the library gave you.
        </p>
      </form>
    </Page>
  );
}
