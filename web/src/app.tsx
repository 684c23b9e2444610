import { useEffect, type ReactNode } from 'react';
import { Loading } from './components';
import { AccountPage } from './opac/account';
import { WelcomePage } from './opac/welcome';
import { OpacRecordPage } from './opac/record';
import { OpacSearchPage } from './opac/search';
import { LoginPage } from './login';
import { Link, match, navigate, useLocation } from './router';
import { useSession } from './session';
import { AdminPage } from './staff/admin';
import { CatalogPage, StaffRecordPage } from './staff/catalog';
import { CheckoutPage } from './staff/checkout';
import { HoldsShelfPage } from './staff/holds-shelf';
import { ItemPage } from './staff/item';
import { LentOutPage, ProblemsPage, ReceivedPage } from './staff/lists';
import { MessagesPage } from './staff/messages';
import { NewPatronPage, PatronPage, PatronSearchPage } from './staff/patron';
import { PhoneCallsPage } from './staff/phone-calls';
import { PullListPage } from './staff/pull-list';
import { ReportsPage } from './staff/reports';
import { ScanPage } from './staff/scan';
import { TransitsPage } from './staff/transits';

interface NavEntry {
  to: string;
  label: string;
  key?: string;
  minRole?: 'library-admin';
}

const deskNav: NavEntry[] = [
  { to: '/staff/scan', label: 'Scan: check in / capture', key: 's' },
  { to: '/staff/checkout', label: 'Check out', key: 'o' },
  { to: '/staff/patrons', label: 'Patrons', key: 'p' },
  { to: '/staff/catalog', label: 'Catalog', key: 'c' },
  { to: '/staff/items', label: 'Item lookup', key: 'i' },
];
const listNav: NavEntry[] = [
  { to: '/staff/pull-list', label: 'Pull list', key: 'l' },
  { to: '/staff/holds-shelf', label: 'Holds shelf', key: 'h' },
  { to: '/staff/transits', label: 'Transits', key: 't' },
  { to: '/staff/lent-out', label: 'Lent out' },
  { to: '/staff/received', label: 'Received' },
  { to: '/staff/phone-calls', label: 'Phone calls' },
  { to: '/staff/messages', label: 'Library messages', key: 'm' },
  { to: '/staff/problems', label: 'Problems' },
];
const officeNav: NavEntry[] = [
  { to: '/staff/reports', label: 'Reports', key: 'r' },
  { to: '/staff/admin', label: 'Admin', minRole: 'library-admin' },
];

function staffPage(path: string): ReactNode {
  let p: Record<string, string> | null;
  if (path === '/staff' || path === '/staff/' || path === '/staff/scan') return <ScanPage />;
  if (path === '/staff/checkout') return <CheckoutPage />;
  if (path === '/staff/patrons') return <PatronSearchPage />;
  if (path === '/staff/patrons/new') return <NewPatronPage />;
  if ((p = match('/staff/patrons/:barcode', path))) return <PatronPage barcode={p.barcode} key={p.barcode} />;
  if (path === '/staff/catalog') return <CatalogPage />;
  if ((p = match('/staff/records/:id', path))) return <StaffRecordPage id={Number(p.id)} key={p.id} />;
  if (path === '/staff/items') return <ItemPage barcode={null} />;
  if ((p = match('/staff/items/:barcode', path))) return <ItemPage barcode={p.barcode} key={p.barcode} />;
  if (path === '/staff/pull-list') return <PullListPage />;
  if (path === '/staff/holds-shelf') return <HoldsShelfPage />;
  if (path === '/staff/transits') return <TransitsPage />;
  if (path === '/staff/lent-out') return <LentOutPage />;
  if (path === '/staff/received') return <ReceivedPage />;
  if (path === '/staff/phone-calls') return <PhoneCallsPage />;
  if (path === '/staff/messages') return <MessagesPage />;
  if (path === '/staff/problems') return <ProblemsPage />;
  if (path === '/staff/reports') return <ReportsPage />;
  if (path === '/staff/admin') return <AdminPage />;
  return <NotFound />;
}

function NotFound() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <Link to="/">Go to the catalog</Link>.
      </p>
    </section>
  );
}

function NavList({ title, entries, path }: { title: string; entries: NavEntry[]; path: string }) {
  const { hasRole } = useSession();
  const visible = entries.filter((e) => !e.minRole || hasRole(e.minRole));
  if (visible.length === 0) return null;
  return (
    <div className="nav-group">
      <h2 className="nav-title">{title}</h2>
      <ul>
        {visible.map((e) => (
          <li key={e.to}>
            <Link to={e.to} accessKey={e.key} aria-current={path === e.to || path.startsWith(`${e.to}/`) ? 'page' : undefined} aria-keyshortcuts={e.key ? `Alt+${e.key.toUpperCase()}` : undefined}>
              {e.label}
              {e.key ? <span className="key-hint" aria-hidden="true">{e.key.toUpperCase()}</span> : null}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

function DeskBadge() {
  const { user, desk, members, setDesk } = useSession();
  if (user?.kind !== 'staff') return null;
  if (user.role === 'consortium-admin') {
    return (
      <div className="desk desk-admin">
        <label htmlFor="desk-select">Working at</label>
        <select id="desk-select" value={desk?.code ?? ''} onChange={(e) => setDesk(e.target.value)}>
          <option value="">(consortium office: choose a library)</option>
          {members.map((l) => (
            <option key={l.code} value={l.code}>
              {l.name} ({l.code})
            </option>
          ))}
        </select>
      </div>
    );
  }
  return (
    <div className="desk" data-testid="working-library">
      <span className="desk-label">Working at</span>
      <strong className="desk-name">{desk?.name}</strong>
      <span className="desk-code">{desk?.code}</span>
    </div>
  );
}

function StaffLayout({ path }: { path: string }) {
  const { user, signOut, desk } = useSession();
  return (
    <div className="shell shell-staff">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/staff/scan" className="brand">
          Tamarack <span className="brand-sub">staff</span>
        </Link>
        <DeskBadge />
        <div className="who">
          <span>
            {user?.username} · {user?.role?.replace('-', ' ')}
          </span>
          <button type="button" className="btn btn-link" onClick={() => void signOut().then(() => navigate('/login'))}>
            Sign out
          </button>
        </div>
      </header>
      <div className="body">
        <nav className="sidenav no-print" aria-label="Staff screens">
          <NavList title="Desk" entries={deskNav} path={path} />
          <NavList title="Lists" entries={listNav} path={path} />
          <NavList title="Office" entries={officeNav} path={path} />
          <p className="nav-foot">
            <Link to="/">Patron catalog</Link>
          </p>
        </nav>
        <main id="main" tabIndex={-1}>
          {user?.role === 'consortium-admin' && !desk && path !== '/staff/admin' && path !== '/staff/reports' && !path.startsWith('/staff/catalog') && !path.startsWith('/staff/records') ? (
            <p className="message message-warn" role="status">
              Choose the library you work at (top of the page): desk work and lists belong to one library.
            </p>
          ) : null}
          {staffPage(path)}
        </main>
      </div>
    </div>
  );
}

function OpacLayout({ path, children }: { path: string; children: ReactNode }) {
  const { user, signOut } = useSession();
  return (
    <div className="shell shell-opac">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar topbar-opac">
        <Link to="/" className="brand">
          Tamarack <span className="brand-sub">library catalog</span>
        </Link>
        <nav aria-label="Catalog" className="opac-nav">
          <Link to="/" aria-current={path === '/' ? 'page' : undefined}>
            Search
          </Link>
          {user?.kind === 'patron' ? (
            <>
              <Link to="/account" aria-current={path.startsWith('/account') ? 'page' : undefined}>
                My account
              </Link>
              <button type="button" className="btn btn-link" onClick={() => void signOut().then(() => navigate('/'))}>
                Sign out {user.name ? `(${user.name})` : ''}
              </button>
            </>
          ) : user?.kind === 'staff' ? (
            <Link to="/staff/scan">Staff screens</Link>
          ) : (
            <Link to={`/login?next=${encodeURIComponent(path)}`} aria-current={path === '/login' ? 'page' : undefined}>
              Sign in
            </Link>
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="opac-main">
        {children}
      </main>
    </div>
  );
}

export function App() {
  const { path, query } = useLocation();
  const { user, expired } = useSession();

  // Move focus to the new page's heading so keyboard and screen-reader users start there.
  useEffect(() => {
    const heading = document.getElementById('page-title');
    if (heading && !document.querySelector('[data-autofocus]')) heading.focus({ preventScroll: true });
  }, [path]);

  if (user === undefined) return <Loading what="Starting Tamarack" />;

  if (path.startsWith('/staff')) {
    if (user?.kind !== 'staff') {
      return (
        <OpacLayout path="/login">
          <LoginPage next={path + location.search} notice={expired ? 'Your session ended. Please sign in again.' : user?.kind === 'patron' ? 'These screens are for library staff. Sign in with a staff account.' : null} />
        </OpacLayout>
      );
    }
    return <StaffLayout path={path} />;
  }

  let page: ReactNode;
  let p: Record<string, string> | null;
  if (path === '/' || path === '/search') page = <OpacSearchPage />;
  else if ((p = match('/record/:id', path))) page = <OpacRecordPage id={Number(p.id)} key={p.id} />;
  else if (path === '/login') page = <LoginPage next={query.get('next')} notice={expired ? 'Your session ended. Please sign in again.' : null} />;
  else if (path === '/account/welcome') page = user?.kind === 'patron' ? <WelcomePage /> : <LoginPage next="/account" />;
  else if (path === '/account') page = user?.kind === 'patron' ? <AccountPage /> : <LoginPage next="/account" notice={expired ? 'Your session ended. Please sign in again.' : null} />;
  else page = <NotFound />;
  return <OpacLayout path={path}>{page}</OpacLayout>;
}
