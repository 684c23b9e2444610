import type { Config } from './config';
import { stopOnSignal } from './serve';
import { openDatabase, startServer } from './server';

export async function demoCommand(config: Config): Promise<number> {
  const { connection } = await openDatabase(config, true);
  const started = await startServer(config, connection);
  stopOnSignal(started);
  console.log(`Tamarack demo is running at ${started.url}`);
  console.log(`Sign in as admin / admin`);
  return 0;
}
