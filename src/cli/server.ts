import { connect, type Connection } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { listen, type Listener } from '../db/notifications';
import { buildApp } from '../http/app';
import { SessionCache } from '../services/session-cache';
import { touchEveryMs } from '../services/sessions';
import { startScheduler, type Scheduler } from '../jobs/runner';
import { SettableClock, systemClock, type Clock } from '../services/clock';
import { ensureConsortium } from '../services/consortium';
import { smtpMailer } from '../services/notices/mailer';
import { releaseAllClaims } from '../services/notices/outbox';
import { checkNewPassword } from '../services/passwords';
import type { Delivery } from '../services/notices/send-notices';
import { packageVersion, type Config } from './config';

export interface Started {
  url: string;
  connection: Connection;
  stop(): Promise<void>;
}

/** Opens the database, applies migrations and makes sure the consortium and its first admin exist. */
export async function openDatabase(config: Config, demo: boolean): Promise<{ connection: Connection; createdAdmin: boolean; adminUser: string; adminPassword: string }> {
  const connection = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrateToLatest(connection.db);
  const adminUser = config.adminUser ?? (demo ? 'admin' : undefined);
  const adminPassword = config.adminPassword ?? (demo ? 'admin' : undefined);
  const anyAdmin = await connection.db.selectFrom('staff').select('id').where('role', '=', 'consortium-admin').executeTakeFirst();
  if (!anyAdmin && (!adminUser || !adminPassword)) {
    await connection.close();
    throw new Error('This is a new database: set TAMARACK_ADMIN_USER and TAMARACK_ADMIN_PASSWORD for its first administrator.');
  }
  // the well-known admin/admin is for the demo alone: a real consortium's first password keeps the rules
  const firstPassword = !anyAdmin && !demo ? checkNewPassword(adminPassword ?? '', [adminUser]) : null;
  if (firstPassword && !firstPassword.ok) {
    await connection.close();
    throw new Error(`TAMARACK_ADMIN_PASSWORD: ${firstPassword.refusal.message}`);
  }
  const { createdAdmin } = await ensureConsortium(
    connection.db,
    { name: config.consortiumName, adminUser: adminUser ?? '', adminPassword: adminPassword ?? '' },
    new Date(),
  );
  return { connection, createdAdmin, adminUser: adminUser ?? '', adminPassword: adminPassword ?? '' };
}

export async function startServer(config: Config, connection: Connection): Promise<Started> {
  const testClock = config.testClock ? new SettableClock() : undefined;
  const clock: Clock = testClock ?? systemClock;
  const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : undefined;
  // only one process opens an embedded database: claims left by a crash are nobody's
  if (connection.kind === 'embedded') await releaseAllClaims(connection.db);
  // With the test clock, scheduled jobs run only when asked (API.md "Running").
  let scheduler: Scheduler | undefined;
  let listener: Listener | undefined;
  // signed-in staff kept in memory only where changes to sessions are heard (not with the test clock)
  let sessionCache: SessionCache | undefined;
  if (!testClock) {
    listener = await listen(connection, config.databaseUrl, {
      tamarack_notices: () => scheduler?.wake('notices'),
      tamarack_sessions: () => sessionCache?.clear(),
    });
    sessionCache = new SessionCache(() => listener?.listening() ?? false, touchEveryMs);
  }
  const delivery: Delivery = { mailer, liveSession: () => listener?.backendPid() ?? null };
  const app = await buildApp({
    connection,
    clock,
    testClock,
    delivery,
    version: packageVersion(),
    logger: config.logLevel === 'silent' ? false : config.logLevel,
    secureCookies: config.secureCookies,
    sessionCache,
  });
  if (!testClock) {
    scheduler = startScheduler({ db: connection.db, clock, delivery }, config.jobPollMs);
    // what was queued while no process listened (a crash, a restart) goes now, not at the next run
    scheduler.wake('notices');
  }
  const address = await app.listen({ port: config.port, host: config.host });
  return {
    url: address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost'),
    connection,
    async stop() {
      await scheduler?.stop();
      await listener?.close();
      await app.close();
      mailer?.close();
      await connection.close();
    },
  };
}
