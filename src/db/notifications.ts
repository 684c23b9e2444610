import pg from 'pg';
import type { Connection } from './connection';

// LISTEN for channels the database NOTIFYs after commit (tamarack_notices when an email is
// queued, so that work starts at once instead of at the next poll; tamarack_sessions when a
// session ends or a staff account or library changes, so that cached sign-ins are dropped). On PostgreSQL it is one
// connection of its own, kept for the life of the process — which also makes it this process's
// sign of life: its backend pid disappears from pg_stat_activity the moment the process dies.
// On the embedded database the engine lives in this process and tells it directly.

export interface Listener {
  /** The PostgreSQL backend of the listening connection; null on the embedded database or while reconnecting. */
  backendPid(): number | null;
  /** True while notifications reach this process: always on the embedded database. */
  listening(): boolean;
  close(): Promise<void>;
}

const reconnectMs = 5_000;

/** `channels`: what to do on each channel's notification, and on (re)connecting, when some may have been missed. */
export async function listen(connection: Connection, databaseUrl: string | undefined, channels: Record<string, () => void>): Promise<Listener> {
  const handlers = Object.entries(channels);
  if (connection.lite) {
    const lite = connection.lite;
    const unsubscribers = await Promise.all(handlers.map(([channel, onNotify]) => lite.listen(channel, onNotify)));
    return { backendPid: () => null, listening: () => true, close: async () => void (await Promise.all(unsubscribers.map((u) => u()))) };
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
    next.on('notification', (message) => channels[message.channel]?.());
    try {
      await next.connect();
      for (const [channel] of handlers) await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      const { rows } = await next.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      client = next;
      pid = rows[0].pid;
      // anything announced while we were not listening
      for (const [, onNotify] of handlers) onNotify();
    } catch {
      // polling goes on meanwhile
      await next.end().catch(() => undefined);
      if (!closed) retry = setTimeout(() => void connect(), reconnectMs);
    }
  };
  await connect();
  return {
    backendPid: () => pid,
    listening: () => pid !== null,
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
