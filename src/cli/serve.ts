import { connect } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import type { Config } from './config';
import { openDatabase, startServer, type Started } from './server';

export function stopOnSignal(started: Started): void {
  const stop = (): void => {
    started.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export async function serveCommand(config: Config): Promise<number> {
  const { connection, createdAdmin, adminUser } = await openDatabase(config, false);
  const started = await startServer(config, connection);
  stopOnSignal(started);
  console.log(`Tamarack is running at ${started.url} (${connection.kind} database)`);
  console.log(`API documentation: ${started.url}/api/docs`);
  if (createdAdmin) console.log(`Created the first consortium administrator: ${adminUser}`);
  return 0;
}

export async function migrateCommand(config: Config): Promise<number> {
  const connection = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrateToLatest(connection.db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    return 0;
  } finally {
    await connection.close();
  }
}
