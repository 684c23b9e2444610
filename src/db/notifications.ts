import pg from 'pg';
import type { Connection } from './connection';

// LISTEN for a channel the database NOTIFYs after commit (e.g. tamarack_notices when an email is
// queued), so that work starts at once instead of at the next poll. On PostgreSQL it is one
// connection of its own, kept for the life of the process — which also makes it this process's
// sign of life: its backend pid disappears from pg_stat_activity the moment the process dies.
// On the embedded database the engine lives in this process and tells it directly.

export interface Listener {
  /** The PostgreSQL backend of the listening connection; null on the embedded database or while reconnecting. */
  backendPid(): number | null;
  close(): Promise<void>;
}

const reconnectMs = 5_000;

export async function listen(connection: Connection, databaseUrl: string | undefined, channel: string, onNotify: () => void): Promise<Listener> {
  if (connection.lite) {
    const unsubscribe = await connection.lite.listen(channel, onNotify);
    return { backendPid: () => null, close: () => unsubscribe() };
  }
  if (!databaseUrl) throw new Error('listening on PostgreSQL needs its URL');
  let client: pg.Client | null = null;
  let pid: number | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl });
    // a lost connection only delays wake-ups (polling goes on): reconnect quietly
    next.on('error', () => undefined);
    next.on('end', () => {
      if (client !== next) return;
      client = null;
      pid = null;
      if (!closed) retry = setTimeout(() => void connect(), reconnectMs);
    });
    next.on('notification', () => onNotify());
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      const { rows } = await next.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      client = next;
      pid = rows[0].pid;
      // anything queued while we were not listening
      onNotify();
    } catch {
      // polling goes on meanwhile
      await next.end().catch(() => undefined);
      if (!closed) retry = setTimeout(() => void connect(), reconnectMs);
    }
  };
  await connect();
  return {
    backendPid: () => pid,
    async close() {
      closed = true;
      clearTimeout(retry);
      const open = client;
      client = null;
      pid = null;
      await open?.end().catch(() => undefined);
    },
  };
}
