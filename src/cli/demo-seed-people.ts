import type { StaffRole } from '../domain/roles';
import type { Tx } from '../services/context';
import { hashPassword } from '../services/passwords';
import type { SeededLibrary } from './demo-seed-libraries';
import type { Random } from '../domain/seeded-random';

// Staff logins for every library and about two hundred patrons with made-up Maine names.
// The demo's passwords are well known on purpose: they are printed at start.

export const demoStaffPassword = 'demo-password';
export const demoPatronPassword = 'patron-password';
export const demoPatronCount = 200;

export const demoStaffRoles: { suffix: string; role: StaffRole }[] = [
  { suffix: 'circ', role: 'circulation' },
  { suffix: 'cat', role: 'cataloger' },
  { suffix: 'admin', role: 'library-admin' },
];

const firstNames = [
  'Abigail', 'Amélie', 'Anna', 'Benjamin', 'Caleb', 'Charlotte', 'Chloé', 'Daniel', 'Eleanor', 'Elijah',
  'Emily', 'Ethan', 'Evelyn', 'Grace', 'Hannah', 'Henry', 'Isaac', 'Jacob', 'Jonah', 'Josée',
  'Julia', 'Liam', 'Lucas', 'Lydia', 'Margaret', 'Marie', 'Mason', 'Nathaniel', 'Noah', 'Olivia',
  'Owen', 'Rachel', 'René', 'Ruth', 'Samuel', 'Sarah', 'Sophie', 'Thomas', 'Walter', 'Zoë',
];
const lastNames = [
  'Allen', 'Ames', 'Bartlett', 'Bouchard', 'Brewer', 'Chase', 'Coffin', 'Côté', 'Crockett', 'Dyer',
  'Eaton', 'Emery', 'Fernald', 'Gagnon', 'Gray', 'Hall', 'Haskell', 'Hatch', 'Hinckley', 'Hutchins',
  'Knowlton', 'Leavitt', 'Libby', 'Lord', 'Lunt', 'McKay', 'Morse', 'Nadeau', 'Nason', 'Ouellette',
  'Parsons', 'Pelletier', 'Pike', 'Pinkham', 'Robbins', 'Sawyer', 'Snow', 'Staples', 'Thibodeau', 'Wentworth',
];
const mailDomains = ['example.com', 'example.org', 'example.net'];

function ascii(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export async function seedStaff(trx: Tx, libraries: SeededLibrary[]): Promise<number> {
  // argon2 is slow on purpose: one hash, shared by every demo login.
  const password_hash = await hashPassword(demoStaffPassword);
  const rows = libraries.flatMap((l) =>
    demoStaffRoles.map(({ suffix, role }) => ({ username: `${l.code.toLowerCase()}-${suffix}`, password_hash, library_id: l.id, role })),
  );
  await trx.insertInto('staff').values(rows).execute();
  return rows.length;
}

export interface PatronCounts {
  patrons: number;
  withLogin: number;
  blocked: number;
}

export async function seedPatrons(trx: Tx, libraries: SeededLibrary[], random: Random): Promise<PatronCounts> {
  const password_hash = await hashPassword(demoPatronPassword);
  const lenders = libraries.filter((l) => l.participates);
  const nextCard = new Map<number, number>();
  const usernames = new Set<string>();
  const rows = Array.from({ length: demoPatronCount }, (_, i) => {
    const home = libraries[random.weighted(libraries.map((l) => l.weight))];
    const seq = (nextCard.get(home.digit) ?? 0) + 1;
    nextCard.set(home.digit, seq);
    const first = random.pick(firstNames);
    const last = random.pick(lastNames);
    const contact = random.weighted([60, 15, 25]);
    const email = contact < 2 ? `${ascii(first)}.${ascii(last)}${random.int(1, 99)}@${random.pick(mailDomains)}` : null;
    // 555-01xx numbers are set aside for fiction and never ring anyone.
    const phone = contact > 0 ? `207-555-01${String(random.int(0, 99)).padStart(2, '0')}` : null;
    // The first patron of each library can sign in to the patron catalog.
    let username: string | null = null;
    if (seq === 1) {
      username = `${ascii(first)}.${ascii(last)}`;
      while (usernames.has(username)) username = `${username}${random.int(1, 9)}`;
      usernames.add(username);
    }
    const blocked = username === null && i % 97 === 50;
    const pickup = home.participates && random.chance(0.1) ? random.pick(lenders.filter((l) => l.id !== home.id)) : undefined;
    return {
      barcode: `2${home.digit}${String(seq).padStart(6, '0')}`,
      first_name: first,
      last_name: last,
      home_library_id: home.id,
      email,
      phone,
      notify_by: email ? ['email'] : ['phone'],
      default_pickup_library_id: pickup?.id ?? null,
      username,
      password_hash: username ? password_hash : null,
      blocked,
      block_reason: blocked ? 'Long-overdue items not returned' : null,
    };
  });
  await trx.insertInto('patrons').values(rows).execute();
  return { patrons: rows.length, withLogin: usernames.size, blocked: rows.filter((r) => r.blocked).length };
}
