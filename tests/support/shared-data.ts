import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

// The sample data of ../shared/data sits beside the repository for developers and CI, not for
// someone who cloned the project alone: tests that read it skip with a message when it is absent.
export const sharedDataDir = process.env.TAMARACK_SHARED_DATA ?? resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data');

export function sharedData(...parts: string[]): string {
  return join(sharedDataDir, ...parts);
}

/** Whether every path exists; prints why the tests that need them are skipped when not. */
export function haveSharedData(what: string, ...paths: string[]): boolean {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length > 0) console.warn(`Skipping ${what}: sample data absent (${missing.join(', ')}).`);
  return missing.length === 0;
}
