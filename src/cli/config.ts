import { readFileSync } from 'node:fs';

// Everything configurable comes from the environment (README "Configuration").
export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  adminUser?: string;
  adminPassword?: string;
  testClock: boolean;
  consortiumName: string;
  secureCookies: boolean;
  logLevel: string;
  /** Email goes through this SMTP server; without it, to the in-app mailbox. */
  smtpUrl?: string;
  /** The sender of notice emails. */
  mailFrom: string;
  /** How often the scheduler looks for due jobs. */
  jobPollMs: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.TAMARACK_DATA_DIR || './data',
    adminUser: env.TAMARACK_ADMIN_USER || undefined,
    adminPassword: env.TAMARACK_ADMIN_PASSWORD || undefined,
    testClock: env.TAMARACK_TEST_CLOCK === '1',
    consortiumName: env.TAMARACK_CONSORTIUM_NAME || 'Tamarack Consortium',
    secureCookies: env.TAMARACK_SECURE_COOKIES === '1',
    logLevel: env.LOG_LEVEL || 'warn',
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'Tamarack <notices@localhost>',
    jobPollMs: Number(env.TAMARACK_JOB_POLL_MS) > 0 ? Number(env.TAMARACK_JOB_POLL_MS) : 15_000,
  };
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
