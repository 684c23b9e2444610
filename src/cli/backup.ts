import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { connect, connectEmbedded } from '../db/connection';
import type { Config } from './config';

// The embedded database never fsyncs; a backup is a consistent gzipped tarball of its folder,
// made while no server uses that folder. A restore unpacks one into an empty folder.
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
  if (!existsSync(config.dataDir)) {
    console.error(`There is no embedded database in ${config.dataDir}.`);
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

export async function restoreCommand(config: Config, args: string[]): Promise<number> {
  const file = args[0];
  if (!file) {
    console.error('Usage: tamarack restore <file>');
    return 1;
  }
  if (config.databaseUrl) {
    console.error('DATABASE_URL is set: restore a PostgreSQL server with pg_restore.');
    return 1;
  }
  if (existsSync(config.dataDir) && readdirSync(config.dataDir).length > 0) {
    console.error(`${config.dataDir} is not empty: restore into a new folder (set TAMARACK_DATA_DIR).`);
    return 1;
  }
  const bytes = await readFile(file);
  const connection = await connectEmbedded({ dataDir: config.dataDir, loadDataDir: new Blob([bytes]) });
  await connection.close();
  console.log(`Restored ${file} into ${config.dataDir}.`);
  return 0;
}
