import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Clock } from '../services/clock';
import { sessionCleanupJob } from './session-cleanup';

export interface JobContext {
  db: Kysely<Database>;
  clock: Clock;
}

export interface JobDefinition {
  name: string;
  /** How often the scheduler runs it. */
  everyMinutes: number;
  run(ctx: JobContext): Promise<Record<string, unknown>>;
}

export const jobs: readonly JobDefinition[] = [sessionCleanupJob];

export function findJob(name: string): JobDefinition | undefined {
  return jobs.find((j) => j.name === name);
}
