import { connectPostgres, type Connection } from '../../src/db/connection';
import { copyTemplateDatabase } from './database';

// A PostgreSQL database of its own for real `tamarack serve` processes: a copy of the run's
// template (migrated, with the consortium and its first admin), reachable by URL.

export interface LoadDatabase {
  /** DATABASE_URL for the server processes. */
  url: string;
  /** The test's own connection, to check the database after the load. */
  connection: Connection;
  drop(): Promise<void>;
}

export async function createLoadDatabase(label: string): Promise<LoadDatabase> {
  const copy = await copyTemplateDatabase(label);
  const connection = await connectPostgres(copy.url, 2);
  return {
    url: copy.url,
    connection,
    async drop() {
      await connection.close();
      await copy.drop();
    },
  };
}
