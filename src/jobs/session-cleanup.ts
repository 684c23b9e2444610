import { purgeIdleSessions } from '../services/sessions';
import type { JobDefinition } from './registry';

// Sessions expire by the real clock, so this job ignores the test clock too.
export const sessionCleanupJob: JobDefinition = {
  name: 'session-cleanup',
  everyMinutes: 60,
  async run({ db }) {
    return { removedSessions: await purgeIdleSessions(db) };
  },
};
