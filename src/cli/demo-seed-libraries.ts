import { sql } from 'kysely';
import type { OpeningHours } from '../db/schema';
import type { Tx } from '../services/context';
import { defaultOpeningHours } from '../services/libraries';

// The demo consortium's library tree: mid-coast Maine towns, one library outside the lending
// program (DOV) and one system (HAN) of two branches, so that nearness, the lending program and
// closed days all show in the demo.

export interface DemoLibrary {
  code: string;
  name: string;
  /** The second digit of the library's item (3d…) and patron (2d…) barcodes. */
  digit: number;
  /** Share of the catalog and of the patrons. */
  weight: number;
  participates: boolean;
  parent?: string;
  hours: OpeningHours;
  loanDays: number;
  holdShelfDays: number;
}

const lateWeekdays: OpeningHours = {
  mon: ['09:00', '20:00'],
  tue: ['09:00', '20:00'],
  wed: ['09:00', '20:00'],
  thu: ['09:00', '20:00'],
  fri: ['09:00', '17:00'],
  sat: ['10:00', '16:00'],
  sun: null,
};
const smallTown: OpeningHours = {
  mon: null,
  tue: ['10:00', '18:00'],
  wed: ['10:00', '16:00'],
  thu: ['10:00', '18:00'],
  fri: ['10:00', '16:00'],
  sat: ['09:00', '13:00'],
  sun: null,
};
const withSunday: OpeningHours = { ...lateWeekdays, sat: ['10:00', '17:00'], sun: ['13:00', '17:00'] };

export const demoSystem = { code: 'HAN', name: 'Hancock County Libraries' };

export const demoLibraries: DemoLibrary[] = [
  { code: 'BAR', name: 'Bar Harbor Public Library', digit: 1, weight: 1.0, participates: true, hours: defaultOpeningHours, loanDays: 21, holdShelfDays: 7 },
  { code: 'CAM', name: 'Camden Public Library', digit: 2, weight: 1.3, participates: true, hours: withSunday, loanDays: 21, holdShelfDays: 7 },
  { code: 'BEL', name: 'Belfast Free Library', digit: 3, weight: 1.1, participates: true, hours: lateWeekdays, loanDays: 21, holdShelfDays: 10 },
  { code: 'ROC', name: 'Rockland Public Library', digit: 4, weight: 1.2, participates: true, hours: lateWeekdays, loanDays: 14, holdShelfDays: 7 },
  { code: 'SEA', name: 'Searsport Public Library', digit: 5, weight: 0.5, participates: true, hours: smallTown, loanDays: 28, holdShelfDays: 10 },
  { code: 'DOV', name: 'Dover-Foxcroft Free Library', digit: 6, weight: 0.6, participates: false, hours: smallTown, loanDays: 21, holdShelfDays: 7 },
  { code: 'ELL', name: 'Ellsworth Library', digit: 7, weight: 1.0, participates: true, parent: 'HAN', hours: defaultOpeningHours, loanDays: 21, holdShelfDays: 7 },
  { code: 'BLU', name: 'Blue Hill Library', digit: 8, weight: 0.6, participates: true, parent: 'HAN', hours: smallTown, loanDays: 21, holdShelfDays: 7 },
];

export const demoLocations = [
  { name: 'Stacks', holdable: true },
  { name: 'New Books', holdable: true },
  { name: 'Reference', holdable: false },
] as const;

export type LocationName = (typeof demoLocations)[number]['name'];

export interface SeededLibrary extends DemoLibrary {
  id: number;
  locations: Record<LocationName, number>;
}

/** Fresh ids from a table's own sequence, so rows and the rows that point at them go in bulk. */
export async function allocateIds(trx: Tx, table: string, count: number): Promise<number[]> {
  if (count === 0) return [];
  const { rows } = await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence(${table}, 'id'))::integer AS id FROM generate_series(1, ${count})`.execute(trx);
  return rows.map((r) => r.id);
}

/** The next Christmas Day and New Year's Day, when every demo library is closed. */
function holidays(now: Date): { from_date: string; to_date: string; reason: string }[] {
  const year = now.getUTCMonth() === 11 && now.getUTCDate() > 25 ? now.getUTCFullYear() + 1 : now.getUTCFullYear();
  return [
    { from_date: `${year}-12-24`, to_date: `${year}-12-25`, reason: 'Christmas' },
    { from_date: `${year + 1}-01-01`, to_date: `${year + 1}-01-01`, reason: "New Year's Day" },
  ];
}

export async function seedLibraries(trx: Tx, now: Date): Promise<SeededLibrary[]> {
  const [systemId, ...ids] = await allocateIds(trx, 'libraries', demoLibraries.length + 1);
  await trx
    .insertInto('libraries')
    .values([
      { id: systemId, code: demoSystem.code, name: demoSystem.name, kind: 'system', parent_id: null, email: null, phone: null, opening_hours: '{}' },
      ...demoLibraries.map((l, i) => ({
        id: ids[i],
        code: l.code,
        name: l.name,
        kind: 'library' as const,
        parent_id: l.parent ? systemId : null,
        participates_in_lending: l.participates,
        email: `${l.code.toLowerCase()}@library.example.org`,
        phone: `207-555-01${String(l.digit * 10).padStart(2, '0')}`,
        timezone: 'America/New_York',
        opening_hours: JSON.stringify(l.hours),
        loan_days: l.loanDays,
        hold_shelf_days: l.holdShelfDays,
      })),
    ])
    .execute();
  await trx
    .insertInto('library_closed_dates')
    .values(ids.flatMap((library_id) => holidays(now).map((h) => ({ library_id, ...h }))))
    .execute();
  const locationIds = await allocateIds(trx, 'shelving_locations', ids.length * demoLocations.length);
  const seeded = demoLibraries.map((l, i) => {
    const locations = Object.fromEntries(demoLocations.map((loc, j) => [loc.name, locationIds[i * demoLocations.length + j]]));
    return { ...l, id: ids[i], locations: locations as Record<LocationName, number> };
  });
  await trx
    .insertInto('shelving_locations')
    .values(seeded.flatMap((l) => demoLocations.map((loc) => ({ id: l.locations[loc.name], library_id: l.id, name: loc.name, holdable: loc.holdable }))))
    .execute();
  return seeded;
}
