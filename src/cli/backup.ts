import { writeFile } from 'node:fs/promises';
import { connect } from '../db/connection';
import type { Config } from './config';

// The embedded database never fsyncs; a backup is a consistent tarball of its folder, made
// while no server uses that folder.
export async function backupCommand(config: Config, args: string[]): Promise<number> {
  const file = args[0];
  if (!file) {
    console.error('Usage: tamarack backup <file>');
    return 1;
  }
  if (config.databaseUrl) {
    console.error('DATABASE_URL is set: back up a PostgreSQL server with pg_dump.');
    return 1;
  }
  const connection = await connect({ dataDir: config.dataDir });
  try {
    const dump = await connection.lite!.dumpDataDir('gzip');
    await writeFile(file, Buffer.from(await dump.arrayBuffer()));
    console.log(`Wrote a backup of ${config.dataDir} to ${file} (${dump.size} bytes).`);
    return 0;
  } finally {
    await connection.close();
  }
}
