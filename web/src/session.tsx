import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { get, onSignedOut, post } from './api';
import { setTimeZone } from './format';
import type { Library, LibraryRef, StaffRole, User } from './types';

// Who is signed in, the libraries of the consortium, and the library the desk works at.

export interface Session {
  /** undefined while the first /auth/me is on its way */
  user: User | null | undefined;
  libraries: Library[];
  /** Member libraries (not systems), by name. */
  members: Library[];
  /** The staff member's working library (a consortium admin picks one); the patron's home library. */
  desk: LibraryRef | null;
  setDesk: (code: string) => void;
  /** Set after a sign-in with a password that may be the first PIN: the first-login page uses it once. */
  lastPassword: string | null;
  signedIn: (user: User, password?: string) => void;
  signOut: () => Promise<void>;
  expired: boolean;
  refreshLibraries: () => void;
  hasRole: (role: StaffRole) => boolean;
  library: (code: string | undefined | null) => Library | undefined;
}

const SessionContext = createContext<Session | null>(null);

const roleRank: Record<StaffRole, number> = { circulation: 1, cataloger: 2, 'library-admin': 3, 'consortium-admin': 4 };
const deskKey = 'tamarack.desk';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [libraries, setLibraries] = useState<Library[]>([]);
  const [adminDesk, setAdminDesk] = useState<string | null>(() => localStorage.getItem(deskKey));
  const [lastPassword, setLastPassword] = useState<string | null>(null);
  const [expired, setExpired] = useState(false);
  const [libraryTick, setLibraryTick] = useState(0);

  useEffect(() => {
    // 401 when nobody is signed in; any other failure also shows the sign-in page
    get<User & { user?: User }>('/auth/me').then(
      (me) => setUser(me.user ?? me),
      () => setUser(null),
    );
  }, []);

  useEffect(() => {
    get<Library[]>('/libraries').then(setLibraries, () => setLibraries([]));
  }, [libraryTick]);

  useEffect(
    () =>
      onSignedOut(() => {
        setUser((u) => {
          if (u) setExpired(true);
          return null;
        });
      }),
    [],
  );

  const members = useMemo(() => libraries.filter((l) => l.kind === 'library').sort((a, b) => a.name.localeCompare(b.name)), [libraries]);
  const library = useCallback((code: string | undefined | null) => libraries.find((l) => l.code === code), [libraries]);

  let desk: LibraryRef | null = null;
  if (user?.kind === 'staff') {
    if (user.role === 'consortium-admin') {
      const chosen = members.find((l) => l.code === adminDesk) ?? null;
      // the stored choice holds while the library list is still on its way
      desk = chosen ? { code: chosen.code, name: chosen.name } : adminDesk && members.length === 0 ? { code: adminDesk, name: adminDesk } : null;
    } else desk = user.library;
  } else if (user?.kind === 'patron') desk = user.library;

  const zone = library(desk?.code)?.timezone;
  useEffect(() => setTimeZone(zone), [zone]);

  const value: Session = {
    user,
    libraries,
    members,
    desk,
    setDesk: (code) => {
      localStorage.setItem(deskKey, code);
      setAdminDesk(code);
    },
    lastPassword,
    signedIn: (u, password) => {
      setExpired(false);
      setUser(u);
      setLastPassword(password ?? null);
    },
    signOut: async () => {
      await post('/auth/logout').catch(() => undefined);
      setLastPassword(null);
      setExpired(false);
      setUser(null);
    },
    expired,
    refreshLibraries: () => setLibraryTick((t) => t + 1),
    hasRole: (role) => user?.kind === 'staff' && !!user.role && roleRank[user.role] >= roleRank[role],
    library,
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The desk's library code as the API wants it: only a consortium admin names one. */
export function useDeskParam(): { libraryCode?: string } {
  const { user, desk } = useSession();
  return user?.kind === 'staff' && user.role === 'consortium-admin' && desk ? { libraryCode: desk.code } : {};
}
