import type { Config } from './config';
import { demoLogins, demoRoleColumns, demoTreeNote, seedDemo, type DemoLogins } from './demo-seed';
import { stopOnSignal } from './serve';
import { openDatabase, startServer } from './server';

function loginsTable(logins: DemoLogins): string[] {
  const nameWidth = Math.max(...logins.libraries.map((l) => l.code.length + 2 + l.name.length), 'library'.length);
  const widths = demoRoleColumns.map((role) => Math.max(role.length, ...logins.libraries.map((l) => (l.usernames[role] ?? '').length)));
  const row = (first: string, cells: string[]): string => `  ${first.padEnd(nameWidth)}  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  return [
    `Staff logins (password: ${logins.staffPassword}):`,
    row('library', demoRoleColumns),
    ...logins.libraries.map((l) => row(`${l.code}  ${l.name}`, demoRoleColumns.map((role) => l.usernames[role] ?? '-'))),
  ];
}

export async function demoCommand(config: Config): Promise<number> {
  const { connection, adminUser, adminPassword } = await openDatabase(config, true);
  const seeded = await seedDemo(connection.db, new Date());
  const started = await startServer(config, connection);
  stopOnSignal(started);
  const where = connection.kind === 'embedded' ? `embedded database in ${config.dataDir}` : 'PostgreSQL database';
  console.log(`Tamarack demo is running at ${started.url} (${where})`);
  if (seeded) {
    console.log(
      `Seeded the demo consortium in ${(seeded.ms / 1000).toFixed(1)} s: ${seeded.libraries} libraries, ${seeded.records} records, ` +
        `${seeded.items} items, ${seeded.patrons} patrons.`,
    );
  }
  console.log('');
  // The admin of a database made by an earlier start keeps the password it was given then.
  console.log(`Consortium admin: ${adminUser} / ${config.adminPassword ? '(TAMARACK_ADMIN_PASSWORD)' : adminPassword}`);
  const logins = await demoLogins(connection.db);
  if (!logins) {
    console.log('This database already had libraries, so the demo consortium was not added to it.');
    return 0;
  }
  for (const line of loginsTable(logins)) console.log(line);
  console.log(`  (${demoTreeNote})`);
  if (logins.patron) {
    const p = logins.patron;
    console.log(`Patron catalog login: ${p.username} / ${logins.patronPassword} (or card ${p.barcode}; ${p.library})`);
  }
  return 0;
}
