import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Clock } from '../services/clock';
import { sessionCleanupJob } from './session-cleanup';
import { shelfExpiryJob } from './shelf-expiry';
import { targetingJob } from './targeting-sweep';

export interface JobContext {
  db: Kysely<Database>;
  clock: Clock;
  random?: () => number;
}

export interface JobDefinition {
  name: string;
  /** How often the scheduler runs it. */
  everyMinutes: number;
  run(ctx: JobContext): Promise<Record<string, unknown>>;
}

export const jobs: readonly JobDefinition[] = [targetingJob, sessionCleanupJob, shelfExpiryJob];

export function findJob(name: string): JobDefinition | undefined {
  return jobs.find((j) => j.name === name);
}
