import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Clock } from '../services/clock';
import type { Delivery } from '../services/notices/send-notices';
import { dueNoticesJob } from './due-notices';
import { noticesJob } from './notices';
import { sessionCleanupJob } from './session-cleanup';
import { shelfExpiryJob } from './shelf-expiry';
import { targetingJob } from './targeting-sweep';

export interface JobContext {
  db: Kysely<Database>;
  clock: Clock;
  random?: () => number;
  /** How the notices job delivers email: SMTP, or the in-app mailbox when absent. */
  delivery?: Delivery;
}

export interface JobDefinition {
  name: string;
  /** How often the scheduler runs it. */
  everyMinutes: number;
  run(ctx: JobContext): Promise<Record<string, unknown>>;
}

export const jobs: readonly JobDefinition[] = [targetingJob, sessionCleanupJob, shelfExpiryJob, dueNoticesJob, noticesJob];

export function findJob(name: string): JobDefinition | undefined {
  return jobs.find((j) => j.name === name);
}
