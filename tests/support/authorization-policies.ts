import type { FixtureStaffKind } from './fixture';
import type { Who } from './authorization-callers';

// The expected half of the authorization matrix, read from API.md "Who may do what" and the
// endpoint tables, and DESIGN.md §4 — not from the code. Each operation of the published API has
// a row (a key `METHOD /path` as OpenAPI spells the path, `#variant` for a second request of the
// same operation); `silent` says where the documents do not decide and what was chosen. The
// library concerned is the one in the path or body, the patron's home and the items' owner.

export type Verdict = 'allowed' | 'refused';
export type Policy = (who: Who) => Verdict;

export interface ExpectedRow {
  policy: Policy;
  /** where the documents say it */
  source: string;
  /** the documents leave the caller open: the choice made and why */
  silent?: string;
}

const rank: Record<FixtureStaffKind, number> = { circ: 1, cat: 2, admin: 3 };
const verdict = (yes: boolean): Verdict => (yes ? 'allowed' : 'refused');

export const everyone: Policy = () => 'allowed';
export const signedIn: Policy = (w) => verdict(w.kind !== 'anonymous');
export const consortiumAdmin: Policy = (w) => verdict(w.kind === 'consortium-admin');
/** Staff of any library from `atLeast` up, and the consortium office. */
export const anyStaff =
  (atLeast: FixtureStaffKind = 'circ'): Policy =>
  (w) =>
    verdict(w.kind === 'consortium-admin' || (w.kind === 'staff' && rank[w.role] >= rank[atLeast]));
/** Staff of the library concerned from `atLeast` up, and the consortium office. */
export const ownLibrary =
  (atLeast: FixtureStaffKind = 'circ'): Policy =>
  (w) =>
    verdict(w.kind === 'consortium-admin' || (w.kind === 'staff' && w.own && rank[w.role] >= rank[atLeast]));
/** The patron whose data it is, and whoever `staff` lets in. */
export const ownerOr =
  (staff: Policy): Policy =>
  (w) =>
    w.kind === 'patron' ? 'allowed' : staff(w);

const desk = 'API.md Who may do what: circulation — "all of a patron\'s desk work for any patron of the consortium"';
const ownLists = 'API.md Who may do what: circulation — "own library\'s lists and reports"; "staff of another library are refused with 403"';

export const expectedTable: Record<string, ExpectedRow> = {
  'GET /health': { policy: everyone, source: 'API.md Who may do what: anonymous — GET /health' },
  'POST /auth/login': { policy: everyone, source: 'API.md Who may do what: anonymous — POST /auth/login' },
  'POST /auth/logout': { policy: everyone, source: 'API.md Auth and people: POST /auth/logout → 204', silent: 'signing out without a session is answered 204 too: nothing to refuse' },
  'GET /auth/me': { policy: signedIn, source: 'API.md: patron — own account (/auth/me); 401 UNAUTHENTICATED — no session' },
  'GET /consortium': { policy: anyStaff(), source: 'API.md Auth and people: GET /consortium', silent: 'who may read the settings is not said: any staff (they drive targeting and notices at every desk), not patrons' },
  'PATCH /consortium': { policy: consortiumAdmin, source: 'API.md: consortium-admin — "consortium settings"' },
  'GET /libraries': { policy: everyone, source: 'API.md Who may do what: anonymous — GET /libraries' },
  'POST /libraries': { policy: consortiumAdmin, source: 'API.md: consortium-admin — "libraries"' },
  'GET /libraries/{code}': { policy: everyone, source: 'not in API.md', silent: 'one library of the public GET /libraries list: public as well' },
  'PATCH /libraries/{code}': { policy: ownLibrary('admin'), source: 'API.md: library-admin — "own library\'s settings (hours, closed dates, shelf and loan days…)"' },
  'PATCH /libraries/{code}#lending': { policy: consortiumAdmin, source: 'API.md: consortium-admin — "libraries, the lending program"' },
  'GET /libraries/{code}/locations': { policy: anyStaff(), source: 'API.md Auth and people: GET /libraries/:code/locations', silent: 'reading is not assigned: any staff (locations print on every item screen), not patrons' },
  'POST /libraries/{code}/locations': { policy: ownLibrary('cat'), source: 'API.md: cataloger — "create/edit own library\'s items and shelving locations"' },
  'PATCH /libraries/{code}/locations/{name}': { policy: ownLibrary('cat'), source: 'API.md: cataloger — "own library\'s … shelving locations"' },
  'POST /staff': { policy: ownLibrary('admin'), source: 'API.md: library-admin — "own library\'s staff accounts"; consortium-admin — "all staff"' },
  'POST /staff#office': { policy: consortiumAdmin, source: 'API.md: library-admin — "own library\'s staff accounts"; consortium-admin — "all staff": only the office makes another administrator of the consortium' },
  'GET /staff': { policy: ownLibrary('admin'), source: 'not in API.md; Admin screen "staff accounts" is the library administrator\'s', silent: 'listed like the accounts it manages: own library\'s administrator' },
  'PATCH /staff/{username}': { policy: ownLibrary('admin'), source: 'API.md: library-admin — "own library\'s staff accounts"' },
  'PATCH /staff/{username}#office': { policy: consortiumAdmin, source: 'as POST /staff#office: raising an account to consortium-admin is the office\'s' },
  'PATCH /staff/{username}#move': { policy: consortiumAdmin, source: 'API.md: library-admin — "own library\'s staff accounts": moving one to another library (B) makes it another library\'s' },
  'POST /patrons': { policy: anyStaff(), source: `${desk} (create)` },
  'GET /patrons': { policy: anyStaff(), source: `${desk} (find)` },
  'GET /patrons/{barcode}': { policy: ownerOr(anyStaff()), source: `API.md: patron — GET /patrons/:own-barcode; ${desk}` },
  'PATCH /patrons/{barcode}': { policy: ownerOr(anyStaff()), source: `API.md: patron — PATCH /patrons/:own-barcode; ${desk} (edit contact details)` },
  'PATCH /patrons/{barcode}#block': { policy: anyStaff(), source: 'API.md PATCH /patrons: "blocked?, blockReason? (staff only)"; circulation — block' },
  'PATCH /patrons/{barcode}#home': {
    policy: anyStaff(),
    source: 'API.md PATCH /patrons lists what a patron changes (contact details, notices, pickup, sign-in); the home library decides lending and age protection (DESIGN §4)',
    silent: 'the home library is not among the listed fields: staff only',
  },
  'POST /records': { policy: anyStaff('cat'), source: 'API.md: cataloger — "create/import records"' },
  'POST /records/import': { policy: ownLibrary('cat'), source: 'API.md: cataloger — "create/import records … own library\'s items"; ?library=<the library concerned> makes it the owner of the file\'s items' },
  'GET /records': { policy: everyone, source: 'API.md: anonymous — catalog search' },
  'GET /records/{id}': { policy: everyone, source: 'API.md: anonymous — record pages' },
  'POST /items': { policy: ownLibrary('cat'), source: 'API.md: cataloger — "create/edit own library\'s items"' },
  'GET /items/{barcode}': { policy: anyStaff(), source: 'API.md GET /items/:barcode "the item screen"; README: Item lookup is a staff screen', silent: 'any staff: items of every library pass through every desk; not patrons (the screen shows its loan and hold)' },
  'PATCH /items/{barcode}': { policy: ownLibrary('cat'), source: 'API.md: cataloger — "edit own library\'s items"' },
  'POST /holds': { policy: ownerOr(anyStaff()), source: 'API.md: patron — "place title holds for self"; circulation — "place holds for patrons"' },
  'POST /holds#copy': { policy: ownLibrary(), source: 'DESIGN §4 Holds: copy hold "staff only … only items of the staff member\'s own library"' },
  'GET /holds': { policy: ownerOr(anyStaff()), source: `API.md: patron — "list … own holds"; ${desk}` },
  'GET /holds/{id}': { policy: ownerOr(anyStaff()), source: `API.md: patron — own holds; ${desk}` },
  'PATCH /holds/{id}': { policy: ownerOr(anyStaff()), source: `API.md: patron — "suspend/change pickup of own holds"; ${desk}` },
  'POST /holds/{id}/redirect': { policy: ownLibrary(), source: 'API.md: circulation — "redirect / not-on-shelf for holds targeting own items"' },
  'POST /holds/{id}/cancel': { policy: ownerOr(ownLibrary()), source: 'API.md: patron — cancel own holds; circulation — "cancel a hold whose patron, pickup library or target/captured item is at own library"' },
  'POST /holds/{id}/not-on-shelf': { policy: ownLibrary(), source: 'API.md: circulation — "redirect / not-on-shelf for holds targeting own items"' },
  'GET /libraries/{code}/pull-list': { policy: ownLibrary(), source: ownLists },
  'POST /circulation/scan': { policy: ownLibrary(), source: 'API.md: circulation — "scan … at own library"; the request names the desk (libraryCode: the library concerned)' },
  'POST /circulation/checkout': { policy: ownLibrary(), source: 'API.md: circulation — "check out … at own library"; the request names the desk (libraryCode: the library concerned)' },
  'POST /circulation/renew': { policy: ownerOr(anyStaff()), source: `API.md: patron — own loans; circulation — "renew at own library"; ${desk}`, silent: 'a renewal names no desk: staff of any library renew at their own desk (loans come back to any library); patrons their own' },
  'GET /libraries/{code}/messages': { policy: ownLibrary(), source: ownLists },
  'POST /libraries/{code}/messages/{id}/read': { policy: ownLibrary(), source: 'not in API.md', silent: 'as reading the list: the receiving library\'s staff' },
  'GET /notices': { policy: ownerOr(anyStaff()), source: `API.md: patron — "own … notices"; Patrons screen "notices sent"; ${desk}` },
  'GET /libraries/{code}/phone-calls': { policy: ownLibrary(), source: `${ownLists}; DESIGN §4 Notices: "a phone-call task on the pickup library's list"` },
  'POST /phone-calls/{id}/done': { policy: ownLibrary(), source: 'DESIGN §4 Notices: "marked done by staff" of the pickup library\'s list' },
  'GET /slips/transit/{id}': { policy: anyStaff(), source: 'API.md Scan answer: slip urls', silent: 'any staff: a slip is printed (and reprinted) where the item is; not patrons (it names the patron)' },
  'GET /slips/hold-shelf/{id}': { policy: anyStaff(), source: 'API.md Scan answer: slip urls', silent: 'as the transit slip' },
  'GET /slips/due-date/{id}': { policy: ownerOr(anyStaff()), source: 'API.md checkout: "a due-date slip"; patron — own loans', silent: 'any staff, and the borrower (it is their own loan)' },
  'POST /items/{barcode}/cancel-transit': { policy: ownLibrary(), source: 'API.md: circulation — "cancel transits from or to own library" (a transit from the library concerned to B)' },
  'GET /libraries/{code}/transits': { policy: ownLibrary(), source: ownLists },
  'GET /libraries/{code}/holds-shelf': { policy: ownLibrary(), source: ownLists },
  'POST /libraries/{code}/holds-shelf/clear': { policy: ownLibrary(), source: ownLists },
  'GET /libraries/{code}/lent-out': { policy: ownLibrary(), source: ownLists },
  'GET /libraries/{code}/received': { policy: ownLibrary(), source: ownLists },
  'GET /libraries/{code}/problems': { policy: ownLibrary(), source: ownLists },
  'GET /reports/holds': { policy: ownLibrary(), source: ownLists },
  'GET /reports/lending-balance': { policy: anyStaff(), source: 'README Reports screen: "the lending balance of every library"', silent: 'a consortium-wide figure with no patron in it: any staff' },
  'POST /admin/jobs/{name}/run': { policy: consortiumAdmin, source: 'API.md: consortium-admin — "jobs"' },
  'POST /admin/clock': { policy: consortiumAdmin, source: 'API.md: consortium-admin — "the test clock"' },
  // last: it ends every session of the caller's account, the shared ones included
  'POST /auth/logout-everywhere': { policy: signedIn, source: 'not in API.md; a signed-in user\'s own sessions', silent: 'any signed-in user, for their own account' },
};
